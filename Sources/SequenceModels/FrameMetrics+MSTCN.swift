// The per-video pieces of the MS-TCN metrics (see FrameMetrics.swift), each a port of one
// function of MS-TCN's `eval.py` (github.com/yabufarha/ms-tcn, MIT): `segments` of
// `get_labels_start_end_time`, `levenshtein` of `levenstein`, `editScore` of `edit_score`
// (normalised), `overlapCounts` of `f_score`. They keep MS-TCN's order of operations so that the
// results are bit-identical to numpy's; the deviations for empty inputs are listed in
// FrameMetrics.swift. Segment bounds are frame positions, half-open [start, end).

/// A maximal run of one non-background label in a per-frame label sequence.
public struct FrameSegment: Sendable, Hashable {
    public var label: Int
    /// Position of the run's first frame.
    public var start: Int
    /// Position after the run's last frame.
    public var end: Int

    public init(label: Int, start: Int, end: Int) {
        self.label = label
        self.start = start
        self.end = end
    }
}

extension FrameMetrics {
    /// Maximal runs of equal labels, leaving out runs whose label is in `background`.
    public static func segments(_ labels: [Int], background: Set<Int>) -> [FrameSegment] {
        var result: [FrameSegment] = []
        var start = 0
        while start < labels.count {
            var end = start + 1
            while end < labels.count && labels[end] == labels[start] { end += 1 }
            if !background.contains(labels[start]) {
                result.append(FrameSegment(label: labels[start], start: start, end: end))
            }
            start = end
        }
        return result
    }

    /// Levenshtein distance (insert, delete, substitute, each cost 1) between two label sequences.
    public static func levenshtein(_ p: [Int], _ y: [Int]) -> Int {
        // D[i][j] = distance between p[..<i] and y[..<j]; one row of j kept per i.
        var previous = Array(0...y.count)
        var current = previous
        for i in stride(from: 1, through: p.count, by: 1) {
            current[0] = i
            for j in stride(from: 1, through: y.count, by: 1) {
                current[j] =
                    p[i - 1] == y[j - 1]
                    ? previous[j - 1] : min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// Normalised edit score, 100 · (1 − distance / max(len p, len y)); 100 when both are empty.
    public static func editScore(_ p: [Int], _ y: [Int]) -> Double {
        let longest = max(p.count, y.count)
        guard longest > 0 else { return 100 }
        return (1 - Double(levenshtein(p, y)) / Double(longest)) * 100
    }

    /// Intersection over union of two half-open segments (negative when they are apart, as MS-TCN).
    public static func iou(_ a: FrameSegment, _ b: FrameSegment) -> Double {
        let intersection = min(a.end, b.end) - max(a.start, b.start)
        let union = max(a.end, b.end) - min(a.start, b.start)
        return 1.0 * Double(intersection) / Double(union)
    }

    /// TP, FP, FN of one video at IoU threshold `overlap`, by MS-TCN's greedy matching.
    public static func overlapCounts(
        predicted: [FrameSegment], truth: [FrameSegment], overlap: Double
    ) -> (
        tp: Int, fp: Int, fn: Int
    ) {
        var tp = 0
        var fp = 0
        var hits = [Bool](repeating: false, count: truth.count)
        for segment in predicted {
            guard !truth.isEmpty else {
                fp += 1
                continue
            }
            // IoU with every true segment, 0 where the label differs; argmax = first maximum.
            var best = 0
            var bestIoU = -Double.infinity
            for (x, candidate) in truth.enumerated() {
                let value = candidate.label == segment.label ? iou(segment, candidate) : 0
                if value > bestIoU {
                    best = x
                    bestIoU = value
                }
            }
            if bestIoU >= overlap && !hits[best] {
                tp += 1
                hits[best] = true
            } else {
                fp += 1
            }
        }
        return (tp, fp, truth.count - hits.reduce(0) { $0 + ($1 ? 1 : 0) })
    }
}
