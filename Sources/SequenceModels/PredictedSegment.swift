// A segment of a `frames`-task prediction: consecutive frames with the same most probable class,
// with the time span they cover and how sure the model was. Made by `PredictedSegments`.

/// Consecutive frames that share their most probable class.
public struct PredictedSegment: Sendable, Hashable {
    /// Timestamp (seconds) of the segment's first frame.
    public var start: Double
    /// Timestamp of the next segment's first frame; for the last segment, the last frame's
    /// timestamp plus the median spacing of the video's timestamps. The span is [start, end).
    public var end: Double
    /// Class index (the argmax of the segment's frames).
    public var label: Int
    /// Mean over the segment's frames of the probability of `label` (0 for label-only input).
    public var confidence: Double
    /// Index of the segment's first frame in the video's frame array.
    public var firstFrame: Int
    /// Number of frames in the segment (at least 1).
    public var frameCount: Int

    /// A segment of `frameCount` frames from `firstFrame`, spanning [`start`, `end`).
    public init(start: Double, end: Double, label: Int, confidence: Double, firstFrame: Int, frameCount: Int) {
        self.start = start
        self.end = end
        self.label = label
        self.confidence = confidence
        self.firstFrame = firstFrame
        self.frameCount = frameCount
    }

    /// The segment as an annotation, with `labelNames[label]` as its name (in seconds).
    public func annotation(labelNames: [String]) -> SegmentAnnotation {
        precondition(labelNames.indices.contains(label), "PredictedSegment: label \(label) of \(labelNames.count)")
        return SegmentAnnotation(start: start, end: end, label: labelNames[label], unit: .seconds)
    }
}
