// Segment annotations: "from `start` to `end` the video shows `label`". They are the ground truth
// of the `frames` task (many-to-many), read from a CSV file by `SegmentAnnotationsCSV` and mapped
// onto the sampled frames of a feature file by `FrameLabels.assign`. A segment is half-open,
// [start, end), in the unit it was annotated in: seconds from the stream's start (compared with
// the frames' `timestamps`) or decode-order frame indices (compared with `frame_indices`).

/// The unit of a segment's `start` and `end`.
public enum SegmentUnit: String, Sendable, Hashable, CaseIterable {
    /// Seconds from the start of the stream, like a feature file's `timestamps`.
    case seconds
    /// Decode-order frame indices, like a feature file's `frame_indices`.
    case frames
}

/// One annotated segment of a video: the half-open interval [`start`, `end`) shows `label`.
public struct SegmentAnnotation: Sendable, Hashable {
    /// First instant (seconds) or frame index (frames) of the segment, included.
    public var start: Double
    /// First instant or frame index after the segment, excluded.
    public var end: Double
    /// Class name, resolved to an index through the model's label list.
    public var label: String
    /// Whether `start` and `end` are seconds or frame indices.
    public var unit: SegmentUnit

    /// A segment [`start`, `end`) of class `label`; `unit` says what `start` and `end` count.
    public init(start: Double, end: Double, label: String, unit: SegmentUnit = .seconds) {
        self.start = start
        self.end = end
        self.label = label
        self.unit = unit
    }

    /// Whether a frame at `position` (a timestamp or a frame index, in `unit`) lies in the
    /// segment: `start <= position < end`.
    public func contains(_ position: Double) -> Bool {
        start <= position && position < end
    }
}
