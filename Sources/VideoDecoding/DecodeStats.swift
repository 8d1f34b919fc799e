// Counters of one decode, for logs, `probe --count-frames` and the catalog.

public struct DecodeStats: Sendable, Equatable, Codable {
    /// Pictures the decoder produced (fewer than the stream has when seeking or skipping).
    public var framesDecoded = 0
    /// Frames in the stream by the timeline pass, when sampling needed one.
    public var timelineFrames: Int?
    /// Packets the decoder rejected and errors it reported; each is skipped.
    public var corruptPackets = 0
    /// Pictures produced but flagged as damaged by the decoder (still used).
    public var corruptFrames = 0
    /// Reads that stopped on an error before the end of the file (truncated or damaged files).
    public var readErrors = 0
    /// Selected frames that never came out of the decoder (lost to corruption).
    public var missingFrames = 0
    /// Decoded pictures whose timestamp was not in the timeline.
    public var unmatchedFrames = 0
    /// Seeks to a keyframe made to skip frames that were not needed.
    public var seeks = 0
    /// Segments decoded side by side by single-threaded decoders (`SegmentDecoder`); 0 when the
    /// file was decoded in one piece.
    public var segmentJobs = 0
    /// Times the segment decoders met something unexpected and the sequential decoder took over.
    public var segmentFallbacks = 0
    /// Frames handed to the caller (repeats counted).
    public var framesEmitted = 0
    /// With keyframe snapping: the stream's keyframes could not be read from its packets (no
    /// timestamps), so the frames were sampled exactly (1), else 0.
    public var snapFallbacks = 0
    /// With keyframe snapping: the mean keyframe interval (seconds) when it is longer than the
    /// interval between targets, so snapping repeats keyframes; nil otherwise.
    public var coarseKeyframeInterval: Double?

    public init() {}

    /// What keyframe snapping has to say, for people: it could not snap, or the keyframes are
    /// sparser than the samples (so samples repeat keyframes). Empty otherwise.
    public var snapNotes: [String] {
        var notes: [String] = []
        if snapFallbacks > 0 {
            notes.append("keyframes could not be read from the packets (no timestamps): sampled exactly, not snapped")
        }
        if let interval = coarseKeyframeInterval {
            notes.append(
                String(
                    format:
                        "keyframes every %.2f s on average, sparser than the samples: snapped samples repeat keyframes",
                    interval))
        }
        return notes
    }
}
