// Streams the sampled frames of one video as RGB24, one at a time, so memory does not grow with
// the video's length. Two strategies give the same frames:
// - `all` and `stride` decode straight through and choose frames as they come;
// - `fps`, `uniform` and `segments` first read the timeline (a demux-only pass), choose frame
//   indices with `FrameSampler`, then decode only what is needed: non-reference pictures that are
//   not wanted are skipped inside the decoder, and a gap that spans a keyframe is crossed by
//   seeking to that keyframe.
import CFFmpeg

public final class FrameReader {
    public let info: VideoInfo
    public let request: FrameRequest
    public private(set) var stats = DecodeStats()

    private let source: FrameSource
    private let converter: RGBConverter
    private let timeline: Timeline?
    /// Timeline indices to emit, ascending, with repeats.
    private let wanted: [Int]
    private let wantedSet: Set<Int>
    private var cursor = 0
    private var position = -1
    private var seekedFor: (target: Int, keyframe: Int)?
    private var seekRetries = 0
    private var repeatFrame: RGBFrame?
    private var repeatsLeft = 0
    private var firstTimestamp: Double?

    init(info: VideoInfo, request: FrameRequest, options: DecodeOptions, watchdog: Watchdog) throws {
        self.info = info
        self.request = request
        try FrameReader.validate(request, path: info.path)
        source = try FrameSource(path: info.path, streamIndex: info.streamIndex, options: options, watchdog: watchdog)
        converter = RGBConverter(request: request, rotation: info.rotation, path: info.path)
        if request.sampling.needsTimeline {
            let scanned = try Timeline.scan(
                path: info.path, streamIndex: info.streamIndex, options: options, watchdog: watchdog)
            let seconds = scanned.ticks.map(source.seconds)
            timeline = scanned
            wanted = FrameSampler.select(request.sampling, timestamps: seconds)
            wantedSet = Set(wanted)
            firstTimestamp = seconds.first
            stats.timelineFrames = scanned.count
            if request.allowSeeking {
                // Pictures that no wanted frame depends on need not be reconstructed at all.
                source.skipNonReference = { [wantedSet] ticks in
                    guard let index = scanned.index(ofTicks: ticks) else { return false }
                    return !wantedSet.contains(index)
                }
            }
            if let limit = options.maxDurationSeconds, let first = seconds.first, let last = seconds.last,
                last - first > limit
            {
                throw DecodeError(.tooLarge, path: info.path, "lasts \(last - first) s, over the cap of \(limit) s")
            }
        } else {
            timeline = nil
            wanted = []
            wantedSet = []
        }
    }

    private static func validate(_ request: FrameRequest, path: String) throws {
        func fail(_ text: String) -> DecodeError { DecodeError(.invalidRequest, path: path, text) }
        switch request.sampling {
        case .all: break
        case .stride(let k): if k < 1 { throw fail("stride must be at least 1, not \(k)") }
        case .fps(let x): if !(x > 0 && x.isFinite) { throw fail("fps must be a positive number, not \(x)") }
        case .uniform(let n), .segments(let n): if n < 1 { throw fail("frame count must be at least 1, not \(n)") }
        }
        switch request.geometry {
        case .native: break
        case .size(let w, let h): if w < 1 || h < 1 { throw fail("size must be positive, not \(w)x\(h)") }
        case .shortSide(let s, let crop):
            if s < 1 { throw fail("short side must be positive, not \(s)") }
            if let crop, crop < 1 { throw fail("crop must be positive, not \(crop)") }
        }
    }

    /// The next sampled frame, or nil when the video is done.
    public func next() throws -> RGBFrame? {
        if repeatsLeft > 0, let frame = repeatFrame {
            repeatsLeft -= 1
            stats.framesEmitted += 1
            return frame
        }
        let frame = try timeline == nil ? nextStreaming() : nextPlanned()
        if frame != nil { stats.framesEmitted += 1 }
        refreshCounters()
        return frame
    }

    private func refreshCounters() {
        stats.framesDecoded = source.decodedFrames
        stats.corruptPackets = source.corruptPackets
        stats.corruptFrames = source.corruptFrames
        stats.readErrors = source.readErrors
    }

    // MARK: all / stride

    private func nextStreaming() throws -> RGBFrame? {
        let every: Int
        if case .stride(let k) = request.sampling { every = k } else { every = 1 }
        while try source.next() {
            position += 1
            let seconds = source.seconds(source.timestamp)
            if firstTimestamp == nil { firstTimestamp = seconds }
            try checkDuration(seconds)
            if position % every == 0 { return try makeFrame(index: position, seconds: seconds) }
        }
        return nil
    }

    private func checkDuration(_ seconds: Double) throws {
        guard let limit = source.options.maxDurationSeconds, let first = firstTimestamp else { return }
        if seconds - first > limit {
            throw DecodeError(.tooLarge, path: info.path, "lasts more than the cap of \(limit) s")
        }
    }

    // MARK: fps / uniform / segments

    private func nextPlanned() throws -> RGBFrame? {
        guard let timeline else { return nil }
        while cursor < wanted.count {
            let target = wanted[cursor]
            try skipAhead(to: target, timeline: timeline)
            guard try source.next() else {
                stats.missingFrames += wanted.count - cursor
                cursor = wanted.count
                break
            }
            guard let index = timeline.index(ofTicks: source.timestamp) else {
                stats.unmatchedFrames += 1
                continue
            }
            if let seek = seekedFor {
                seekedFor = nil
                if index > target, try retryEarlier(than: seek.keyframe, timeline: timeline) { continue }
            }
            position = max(position, index)
            if index < target { continue }
            while cursor < wanted.count && wanted[cursor] < index {
                stats.missingFrames += 1
                cursor += 1
            }
            guard cursor < wanted.count, wanted[cursor] == index else { continue }
            var repeats = 0
            while cursor < wanted.count && wanted[cursor] == index {
                repeats += 1
                cursor += 1
            }
            let frame = try makeFrame(index: index, seconds: source.seconds(source.timestamp))
            repeatFrame = frame
            repeatsLeft = repeats - 1
            return frame
        }
        return nil
    }

    /// Seeks when the keyframe needed for `target` lies beyond what the decoder has reached, and
    /// tells the decoder which of the coming pictures may be skipped.
    private func skipAhead(to target: Int, timeline: Timeline) throws {
        guard request.allowSeeking, let keyframes = timeline.keyframeOfFrame, seekedFor == nil else { return }
        let keyframe = keyframes[target]
        // A short gap is cheaper to decode through than to restart the decoder's thread pipeline.
        guard keyframe > position + FrameReader.minimumSkip, let ticks = timeline.seekTicks[keyframe] else { return }
        try source.seek(to: ticks)
        stats.seeks += 1
        seekedFor = (target, keyframe)
        seekRetries = 0
        position = keyframe - 1
    }

    /// After a seek landed past its target, seeks to the previous keyframe; false when none is left.
    private func retryEarlier(than keyframe: Int, timeline: Timeline) throws -> Bool {
        guard let keyframes = timeline.keyframeOfFrame, keyframe > 0, seekRetries < 3 else { return false }
        let earlier = keyframes[keyframe - 1]
        guard let ticks = timeline.seekTicks[earlier] else { return false }
        try source.seek(to: ticks)
        stats.seeks += 1
        seekRetries += 1
        seekedFor = (wanted[cursor], earlier)
        position = earlier - 1
        return true
    }

    static let minimumSkip = 8

    private func makeFrame(index: Int, seconds: Double) throws -> RGBFrame {
        let converted = try converter.convert(source.frame.pointer)
        return RGBFrame(
            width: converted.width, height: converted.height, pixels: converted.pixels, frameIndex: index,
            timestamp: seconds, time: seconds - (firstTimestamp ?? seconds))
    }
}
