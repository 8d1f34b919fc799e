// The entry point of the decode stage: checks and opens a file, reports its `VideoInfo`, and hands
// out `FrameReader`s for sampled RGB frames or counts every frame.

/// An opened video file.
public final class VideoReader {
    public let info: VideoInfo
    public let options: DecodeOptions
    private let watchdog: Watchdog
    private let input: VideoInput

    /// How much of a file the opening reads.
    public enum Probe: Sendable {
        /// The header, then FFmpeg's stream-info pass: every `VideoInfo` field as ffprobe gives it
        /// (`vidact probe`).
        case full
        /// The header alone where it describes the stream (MP4/MOV, Matroska; see `Demuxer`), else
        /// as `full`: for callers that only decode. `info.pixelFormat` may then be "unknown" and
        /// `info.startTime` nil (Matroska); the frames are the same.
        case forDecoding
    }

    /// Checks that `path` is a readable regular file, opens it and probes its best video stream.
    public convenience init(path: String, options: DecodeOptions = DecodeOptions(), probe: Probe = .full) throws {
        let size = try InputGuard.check(path)
        try self.init(input: .file(path), size: size, options: options, probe: probe)
    }

    /// Opens a whole video file held in memory; `name` stands for it in errors and `info.path`.
    /// Every decode path (seeking, segments in parallel, restarts) reads the same bytes.
    public convenience init(bytes: [UInt8], name: String, options: DecodeOptions = DecodeOptions()) throws {
        try self.init(
            input: VideoInput(name: name, bytes: bytes), size: Int64(bytes.count), options: options, probe: .full)
    }

    private init(input: VideoInput, size: Int64, options: DecodeOptions, probe: Probe) throws {
        let path = input.name
        self.options = options
        self.input = input
        if size == 0 { throw DecodeError(.notAVideo, path: path, "the file is empty (0 bytes)") }
        watchdog = Watchdog(seconds: options.timeoutSeconds)
        let demuxer = try Demuxer(input: input, watchdog: watchdog, headerSuffices: probe == .forDecoding)
        let stream = try VideoProbe.bestVideoStream(in: demuxer)
        info = VideoProbe.info(of: demuxer, stream: stream, fileSize: size)
        if info.codedWidth * info.codedHeight > options.maxPixels {
            throw DecodeError(
                .tooLarge, path: path,
                "is \(info.codedWidth)x\(info.codedHeight), over the cap of \(options.maxPixels) pixels")
        }
        if let limit = options.maxDurationSeconds, let duration = info.duration, duration > limit * 2 {
            // Headers can be wrong, so only a gross excess is refused here; decoding checks real times.
            throw DecodeError(.tooLarge, path: path, "claims \(duration) s, over the cap of \(limit) s")
        }
    }

    /// A stream of the frames `request` selects.
    public func frames(_ request: FrameRequest = FrameRequest()) throws -> FrameReader {
        try FrameReader(info: info, input: input, request: request, options: options, watchdog: watchdog)
    }

    /// The stream's keyframes from a demux-only pass (no decoding): how many, and the mean and
    /// largest interval between consecutive ones, in seconds. nil when the packets carry no
    /// timestamps (keyframe snapping then samples exactly).
    public func keyframes() throws -> KeyframeSummary? {
        let timeline = try Timeline.scan(
            input: input, streamIndex: info.streamIndex, options: options, watchdog: watchdog)
        guard let keyframes = timeline.keyframes else { return nil }
        let tb = info.timeBase
        let seconds = keyframes.map {
            Double(timeline.ticks[$0]) * Double(tb.numerator) / Double(max(tb.denominator, 1))
        }
        let intervals = zip(seconds.dropFirst(), seconds).map { $0 - $1 }
        return KeyframeSummary(
            count: keyframes.count, frames: timeline.count,
            meanInterval: intervals.isEmpty ? nil : intervals.reduce(0, +) / Double(intervals.count),
            maxInterval: intervals.max())
    }

    /// Decodes every frame without converting it: the true frame count and how damaged the file is.
    public func countFrames() throws -> FrameCount {
        let source = try FrameSource(
            input: input, streamIndex: info.streamIndex, options: options, watchdog: watchdog)
        var timestamps: [Int64] = []
        while try source.next() { timestamps.append(source.timestamp) }
        let seconds = timestamps.sorted().map(source.seconds)
        var intervals: [Double] = []
        for i in 1..<max(1, seconds.count) { intervals.append(seconds[i] - seconds[i - 1]) }
        var vfr: Bool?
        if intervals.count >= 2, let longest = intervals.max(), let shortest = intervals.min() {
            vfr = longest - shortest > 1e-3 * max(longest, 1e-9) + 1e-6
        }
        return FrameCount(
            decoded: source.decodedFrames, corruptPackets: source.corruptPackets, corruptFrames: source.corruptFrames,
            readErrors: source.readErrors, firstTimestamp: seconds.first, lastTimestamp: seconds.last,
            variableFrameRate: vfr)
    }
}

/// Where a stream's keyframes are, in brief (`VideoReader.keyframes`).
public struct KeyframeSummary: Sendable, Equatable, Codable {
    public var count: Int
    /// Frames in the stream (the timeline's).
    public var frames: Int
    /// Seconds between consecutive keyframes; nil with fewer than two.
    public var meanInterval: Double?
    public var maxInterval: Double?
}

/// The result of decoding every frame of a video.
public struct FrameCount: Sendable, Equatable, Codable {
    public var decoded: Int
    public var corruptPackets: Int
    public var corruptFrames: Int
    public var readErrors: Int
    public var firstTimestamp: Double?
    public var lastTimestamp: Double?
    /// Whether decoded frame intervals differ; nil with fewer than three frames.
    public var variableFrameRate: Bool?
}
