// Per-frame predictions of the `frames` task turned back into segments.
//
// Shapes: T frames, C classes; `probabilities` is `[T][C]` (softmax outputs), `timestamps` `[T]`
// seconds, increasing. Rule:
// - each frame's class is its argmax (the first of equal maxima, as numpy's `argmax`);
// - runs of consecutive frames with the same class form one segment;
// - a segment starts at its first frame's timestamp and ends at the next segment's first
//   timestamp; the last segment ends at the last timestamp plus the median spacing of consecutive
//   timestamps (the mean of the two middle spacings for an even count, as numpy's `median`; 0 for a
//   single frame, so a one-frame video gives a segment with end == start);
// - a segment's confidence is the mean, over its frames, of the probability of its class.
// With these rules, annotations that tile the video and start on frame timestamps come back as
// they were through `FrameLabels.assign` and one-hot probabilities (tested).

/// Builds `PredictedSegment`s from per-frame outputs.
public enum PredictedSegments {
    /// Segments of one video from per-frame class probabilities `[T][C]` and timestamps `[T]`.
    public static func fromFrames(probabilities: [[Float]], timestamps: [Double]) -> [PredictedSegment] {
        precondition(
            probabilities.count == timestamps.count,
            "PredictedSegments.fromFrames: \(probabilities.count) frames of probabilities, \(timestamps.count) timestamps"
        )
        var labels: [Int] = []
        var scores: [Double] = []
        labels.reserveCapacity(probabilities.count)
        scores.reserveCapacity(probabilities.count)
        for (t, row) in probabilities.enumerated() {
            precondition(!row.isEmpty, "PredictedSegments.fromFrames: frame \(t) has no class probabilities")
            let best = argmax(row)
            labels.append(best)
            scores.append(Double(row[best]))
        }
        return segments(labels: labels, scores: scores, timestamps: timestamps)
    }

    /// Segments of one video from per-frame class indices `[T]` and timestamps `[T]`; confidence 0.
    public static func fromLabels(_ labels: [Int], timestamps: [Double]) -> [PredictedSegment] {
        precondition(
            labels.count == timestamps.count,
            "PredictedSegments.fromLabels: \(labels.count) labels, \(timestamps.count) timestamps")
        return segments(labels: labels, scores: [Double](repeating: 0, count: labels.count), timestamps: timestamps)
    }

    /// Index of the largest value; the first one among equal maxima.
    public static func argmax(_ row: [Float]) -> Int {
        var best = 0
        for c in row.indices where row[c] > row[best] { best = c }
        return best
    }

    /// Median of the spacings between consecutive timestamps; 0 when there are fewer than two.
    public static func medianSpacing(_ timestamps: [Double]) -> Double {
        guard timestamps.count >= 2 else { return 0 }
        let spacings = zip(timestamps.dropFirst(), timestamps).map { $0 - $1 }.sorted()
        let middle = spacings.count / 2
        return spacings.count % 2 == 1 ? spacings[middle] : (spacings[middle - 1] + spacings[middle]) / 2
    }

    private static func segments(labels: [Int], scores: [Double], timestamps: [Double]) -> [PredictedSegment] {
        var result: [PredictedSegment] = []
        var first = 0
        while first < labels.count {
            var next = first + 1
            var sum = scores[first]
            while next < labels.count && labels[next] == labels[first] {
                sum += scores[next]
                next += 1
            }
            let end = next < labels.count ? timestamps[next] : timestamps[labels.count - 1] + medianSpacing(timestamps)
            let count = next - first
            result.append(
                PredictedSegment(
                    start: timestamps[first], end: end, label: labels[first], confidence: sum / Double(count),
                    firstFrame: first, frameCount: count))
            first = next
        }
        return result
    }
}
