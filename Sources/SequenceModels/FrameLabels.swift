// Per-frame targets of the `frames` task from segment annotations.
//
// Rule (the one `FrameLabels.assign` implements and the tests pin down):
// - a frame belongs to a segment when `start <= p < end`, where p is the frame's timestamp in
//   seconds for a `.seconds` segment and its decode-order frame index for a `.frames` segment;
//   both units are half-open, so segments `0,30` and `30,60` tile without sharing a frame;
// - a frame in no segment gets the ignore label (default -1): it is left out of the loss and of
//   the metrics, so unannotated stretches are neither rewarded nor punished;
// - a frame in several overlapping segments gets the label of the one that starts latest (a short
//   action nested inside a long one wins; of two overlapping neighbours the one that has begun
//   most recently wins); on equal starts, the segment listed later wins;
// - a segment whose label is not in the label index is an error (`FrameLabelsError`), so a typo in
//   an annotation file never silently becomes "ignore".
// Shapes: T frames, S segments; the work is O(T·S), which is small for annotation files.
import Basics

/// A segment label that the model's label list does not contain.
public struct FrameLabelsError: VidactError, Hashable, CustomStringConvertible {
    /// The unknown label, as written in the annotation.
    public var label: String
    /// The segment that carries it.
    public var segment: SegmentAnnotation

    public var description: String {
        "segment [\(segment.start), \(segment.end)) \(segment.unit.rawValue) has label \"\(label)\", "
            + "which is not one of the model's labels; fix the annotation or add the class"
    }
}

/// Maps segment annotations onto the frames of one video.
public enum FrameLabels {
    /// The label of frames that no segment covers.
    public static let ignore = -1

    /// One class index per frame (or `ignore`), by the rule at the top of this file.
    ///
    /// - Parameters:
    ///   - timestamps: `[T]` seconds of each sampled frame (compared with `.seconds` segments).
    ///   - frameIndices: `[T]` decode-order index of each sampled frame (compared with `.frames`
    ///     segments); must have the same count as `timestamps`.
    ///   - segments: the video's annotations, in file order (the order breaks ties of overlaps).
    ///   - labelIndex: class name → class index.
    ///   - ignore: the label of frames in no segment.
    /// - Throws: `FrameLabelsError` for a segment whose label is not in `labelIndex`.
    public static func assign(
        timestamps: [Double], frameIndices: [Int], segments: [SegmentAnnotation],
        labelIndex: [String: Int], ignore: Int = FrameLabels.ignore
    ) throws(FrameLabelsError) -> [Int] {
        precondition(
            timestamps.count == frameIndices.count,
            "FrameLabels.assign: \(timestamps.count) timestamps but \(frameIndices.count) frame indices")
        var classes: [Int] = []
        classes.reserveCapacity(segments.count)
        for segment in segments {
            guard let index = labelIndex[segment.label] else {
                throw FrameLabelsError(label: segment.label, segment: segment)
            }
            classes.append(index)
        }
        var labels = [Int](repeating: ignore, count: timestamps.count)
        for frame in timestamps.indices {
            var winner: Int? = nil
            for (s, segment) in segments.enumerated() {
                let position = segment.unit == .seconds ? timestamps[frame] : Double(frameIndices[frame])
                guard segment.contains(position) else { continue }
                if let w = winner, segments[w].start > segment.start { continue }
                winner = s
            }
            if let w = winner { labels[frame] = classes[w] }
        }
        return labels
    }

    /// `assign` with a label list instead of an index: class i is `labelNames[i]`.
    public static func assign(
        timestamps: [Double], frameIndices: [Int], segments: [SegmentAnnotation],
        labelNames: [String], ignore: Int = FrameLabels.ignore
    ) throws(FrameLabelsError) -> [Int] {
        var index: [String: Int] = [:]
        for (i, name) in labelNames.enumerated() where index[name] == nil { index[name] = i }
        return try assign(
            timestamps: timestamps, frameIndices: frameIndices, segments: segments, labelIndex: index,
            ignore: ignore)
    }
}
