// Metrics of the `frames` task (many-to-many: one label per frame), defined exactly as in the
// evaluation code of MS-TCN (Y. Abu Farha and J. Gall, CVPR 2019; `eval.py` of
// github.com/yabufarha/ms-tcn, itself adapted from colincsl/TemporalConvolutionalNetworks):
// - accuracy = 100 · correct frames / frames, over all frames of all videos;
// - edit = mean over videos of the normalised Levenshtein score of the two segment-label
//   sequences, 100 · (1 − distance / max(len P, len Y));
// - F1@τ: per video, each predicted segment (in order) is matched to the true segment of the same
//   label with the highest IoU (the first on ties); it is a TP when that IoU ≥ τ and that true
//   segment is not matched yet, an FP otherwise; FN = unmatched true segments. TP/FP/FN are summed
//   over all videos, then precision, recall and F1 (a 0/0 is 0), times 100.
// Segments are maximal runs of one label; runs of a `background` class are not segments (MS-TCN's
// `bg_class`), but background frames still count in accuracy. The per-video pieces are in
// `FrameMetrics+MSTCN.swift`.
//
// vidact's additions, for what MS-TCN has no notion of (the fixture generator implements the same):
// - ignore label (default -1, frames that no annotation covers): those frames are left out of
//   accuracy, and for edit and F1 the prediction on them is replaced by the ignore label, which is
//   treated as background; so an unannotated stretch splits segments on both sides alike and
//   nothing predicted there is rewarded or punished;
// - a video with no annotated frame is skipped (it counts in no metric and not in `videoCount`);
// - where MS-TCN divides 0 by 0 or fails: edit is 100 when both videos have no segment (MS-TCN:
//   NaN), every predicted segment is an FP when the truth has no segment (MS-TCN: argmax of an
//   empty array), and accuracy is 0 when no frame is annotated.
// Shapes: V videos, `predicted[v]` and `truth[v]` `[T_v]` class indices of the same length.

/// TP/FP/FN and the scores at one IoU threshold, summed over all videos.
public struct OverlapScore: Sendable, Hashable {
    /// The IoU threshold τ (0.1 for F1@10).
    public var overlap: Double
    public var truePositives: Int
    public var falsePositives: Int
    public var falseNegatives: Int
    /// 100 · TP / (TP + FP), 0 for 0/0.
    public var precision: Double
    /// 100 · TP / (TP + FN), 0 for 0/0.
    public var recall: Double
    /// 100 · 2PR / (P + R) with P, R as fractions; 0 where that is 0/0 (MS-TCN's `nan_to_num`).
    public var f1: Double

    /// Scores from summed counts, computed in MS-TCN's order of operations.
    public init(overlap: Double, truePositives: Int, falsePositives: Int, falseNegatives: Int) {
        self.overlap = overlap
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
        let tp = Double(truePositives)
        let p = tp / (tp + Double(falsePositives))
        let r = tp / (tp + Double(falseNegatives))
        let f = 2.0 * (p * r) / (p + r)
        precision = p.isNaN ? 0 : p * 100
        recall = r.isNaN ? 0 : r * 100
        f1 = f.isNaN ? 0 : f * 100
    }
}

/// Frame accuracy, edit score and F1@τ of per-frame predictions against per-frame truth.
public struct FrameMetrics: Sendable, Hashable {
    /// Videos with at least one annotated frame (the ones evaluated).
    public var videoCount: Int
    /// Annotated frames (truth ≠ ignore) over those videos.
    public var frameCount: Int
    /// Percentage of annotated frames predicted correctly.
    public var accuracy: Double
    /// Mean normalised edit score over the videos, in percent.
    public var edit: Double
    /// One entry per requested overlap, in the order given.
    public var f1: [OverlapScore]

    /// The MS-TCN metrics of V videos; see the top of this file for the exact rules.
    ///
    /// - Parameters:
    ///   - predicted: `[V][T_v]` predicted class per frame.
    ///   - truth: `[V][T_v]` true class per frame, or `ignore`.
    ///   - ignore: the label of unannotated frames.
    ///   - overlaps: IoU thresholds τ of F1@τ (MS-TCN: 0.1, 0.25, 0.5).
    ///   - background: classes whose runs are not segments (MS-TCN's `bg_class`).
    public static func compute(
        predicted: [[Int]], truth: [[Int]], ignore: Int = -1, overlaps: [Double] = [0.1, 0.25, 0.5],
        background: [Int] = []
    ) -> FrameMetrics {
        precondition(
            predicted.count == truth.count,
            "FrameMetrics.compute: \(predicted.count) predicted videos, \(truth.count) true")
        let backgroundSet = Set(background).union([ignore])
        var videos = 0
        var frames = 0
        var correct = 0
        var editSum = 0.0
        var counts = [(tp: Int, fp: Int, fn: Int)](repeating: (0, 0, 0), count: overlaps.count)
        for (v, (prediction, reference)) in zip(predicted, truth).enumerated() {
            precondition(
                prediction.count == reference.count,
                "FrameMetrics.compute: video \(v) has \(prediction.count) predicted frames, \(reference.count) true")
            let annotated = reference.reduce(0) { $0 + ($1 == ignore ? 0 : 1) }
            guard annotated > 0 else { continue }
            videos += 1
            frames += annotated
            var masked = prediction
            for t in reference.indices where reference[t] == ignore { masked[t] = ignore }
            for t in reference.indices where reference[t] != ignore && prediction[t] == reference[t] { correct += 1 }
            let p = segments(masked, background: backgroundSet)
            let y = segments(reference, background: backgroundSet)
            editSum += editScore(p.map(\.label), y.map(\.label))
            for (s, overlap) in overlaps.enumerated() {
                let c = overlapCounts(predicted: p, truth: y, overlap: overlap)
                counts[s].tp += c.tp
                counts[s].fp += c.fp
                counts[s].fn += c.fn
            }
        }
        return FrameMetrics(
            videoCount: videos, frameCount: frames,
            accuracy: frames == 0 ? 0 : 100 * Double(correct) / Double(frames),
            edit: videos == 0 ? 0 : editSum / Double(videos),
            f1: zip(overlaps, counts).map {
                OverlapScore(overlap: $0, truePositives: $1.tp, falsePositives: $1.fp, falseNegatives: $1.fn)
            })
    }
}
