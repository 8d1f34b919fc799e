// The frames task's confusion matrix and per-class scores in a run's report, counted over frames.
// The catalog stores a frames prediction as its segments (runs of equal per-frame argmax, each
// starting at the timestamp of its first frame and ending at the next run's first timestamp), so
// the per-frame labels are recovered exactly from the video's cached feature volume: frame k gets
// the label of the last segment starting at or before its timestamp. Its true label comes from the
// segments annotation by `FrameLabels.assign` (the segment containing its timestamp, or its frame
// index for frame-unit annotations), as training and `vidact evaluate` assign it; frames no
// segment covers are not counted. Only the evaluated split's videos count, as for the clip task.
import Catalog
import Datasets
import FeatureStore
import Foundation
import SequenceModels

extension Report {
    /// Per-frame class indices of `segments` at `timestamps` (sorted): each frame takes the label of
    /// the last segment whose start is at or before its timestamp (within `tolerance` seconds, so
    /// a start written to JSON and read back still matches its frame). A frame before every
    /// segment, or a label not in `classIndex`, gives `FrameLabels.ignore`.
    static func predictedFrameLabels(
        _ segments: [Segment], timestamps: [Double], classIndex: [String: Int], tolerance: Double = 1e-6
    ) -> [Int] {
        let ordered = segments.sorted { $0.start < $1.start }
        var current = -1
        return timestamps.map { time in
            while current + 1 < ordered.count && ordered[current + 1].start <= time + tolerance { current += 1 }
            guard current >= 0 else { return FrameLabels.ignore }
            return classIndex[ordered[current].label] ?? FrameLabels.ignore
        }
    }

    /// Adds frame pairs to `confusion`, skipping frames whose truth or prediction is ignored.
    static func addFrames(_ confusion: inout ConfusionMatrix, predicted: [Int], truth: [Int]) {
        precondition(
            predicted.count == truth.count,
            "Report.addFrames: \(predicted.count) predicted frames, \(truth.count) true frames")
        for (p, t) in zip(predicted, truth) where p >= 0 && t >= 0 { confusion.add(truth: t, predicted: p) }
    }

    /// The frame-level confusion matrix of the `split` videos that have predictions and
    /// annotations; nil (with a note saying why) when no frame could be counted.
    static func framesConfusion(
        classes: [String], split: String, dataset: ResolvedDataset, truth: FrameSegments?,
        predictions: [String: PredictionRecord], store: FeatureStore, extractorKey: String?,
        notes: inout [String]
    ) -> ConfusionMatrix? {
        guard let truth else {
            notes.append("No segments annotation: no frame-level confusion matrix.")
            return nil
        }
        guard let extractorKey else {
            notes.append("The model names no feature extractor key: no frame-level confusion matrix.")
            return nil
        }
        let index = Dictionary(classes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var confusion = ConfusionMatrix(classCount: classes.count)
        var skipped: [String] = []
        for video in dataset.videos where video.split?.rawValue == split {
            guard let prediction = predictions[video.relativePath], let annotations = truth.byVideo[video.path],
                !annotations.isEmpty
            else { continue }
            var row = Video(path: video.relativePath, status: "")
            fill(&row, from: prediction)
            do {
                let timeline = try FeatureFile.readTimeline(
                    store.path(key: extractorKey, videoSHA256: prediction.videoSHA256))
                let trueLabels = try FrameLabels.assign(
                    timestamps: timeline.timestamps, frameIndices: timeline.frameIndices.map { Int($0) },
                    segments: annotations, labelIndex: index)
                let predicted = predictedFrameLabels(
                    row.predictedSegments, timestamps: timeline.timestamps, classIndex: index)
                addFrames(&confusion, predicted: predicted, truth: trueLabels)
            } catch {
                skipped.append("\(video.relativePath) (\(error))")
            }
        }
        if !skipped.isEmpty {
            notes.append("Frames not counted in the confusion matrix: " + skipped.joined(separator: "; ") + ".")
        }
        guard confusion.total > 0 else {
            notes.append("No per-frame predictions of annotated \(split) videos: no confusion matrix.")
            return nil
        }
        return confusion
    }
}
