// The report's model section without a pipeline: scores of both evaluation-file shapes (the clip
// task's fractions, the frames task's percentages, each as `PipelineRunner+Evaluate` writes them
// from `ClipMetrics` / `FrameMetrics`) are shown the same way, as percentages with one decimal; a
// frames prediction's per-frame labels come back exactly from its segments as the predict step
// stores them (JSON) and the volume's timestamps; the frame-level confusion matrix skips frames no
// annotation covers; and a frames model's per-class table says it counts frames.
import Catalog
import Foundation
import SequenceModels
import Testing

@testable import Reports

struct ReportModelTests {
    /// The clip evaluation file's scores: 3 of 4 clips right.
    static func clipEvaluation() -> [String: Any] {
        let metrics = ClipMetrics.compute(
            probabilities: [[0.9, 0.1], [0.2, 0.8], [0.7, 0.3], [0.6, 0.4]], labels: [0, 1, 0, 1], classCount: 2,
            topK: 1)
        return ["accuracy": metrics.accuracy, "top_k_accuracy": metrics.topKAccuracy, "macro_f1": metrics.macroF1]
    }

    /// The frames evaluation file's scores: 3 of 4 frames right; predicted segments 0 1 against
    /// true segments 0 1 0 (edit 1 - 1/3; F1@10: 2 hits, no false positive, 1 miss → 0.8).
    static func framesEvaluation() -> [String: Any] {
        let metrics = FrameMetrics.compute(predicted: [[0, 0, 1, 1]], truth: [[0, 0, 1, 0]])
        return [
            "frame_accuracy": metrics.accuracy, "edit": metrics.edit,
            "f1": metrics.f1.map { ["overlap": $0.overlap, "f1": $0.f1] },
        ]
    }

    static func page(metrics: [Report.Metric], task: String) throws -> String {
        var report = try ReportHTMLTests.clipReport()
        report.model?.task = task
        report.model?.metrics = metrics
        return ReportHTML.render(report)
    }

    static func row(_ name: String, _ shown: String) -> String {
        "<tr><th>\(name)</th><td class=\"num\">\(shown)</td></tr>"
    }

    @Test func clipAndFramesScoresAreBothPercentages() throws {
        let clip = Report.metrics(Self.clipEvaluation())
        let frames = Report.metrics(Self.framesEvaluation())
        #expect(clip.first { $0.name == "accuracy" }?.value == 0.75)
        #expect(frames.first { $0.name == "frame accuracy" }?.value == 0.75)
        #expect(frames.map(\.name) == ["frame accuracy", "edit score", "F1@10", "F1@25", "F1@50"])
        let clipPage = try Self.page(metrics: clip, task: "clip")
        let framesPage = try Self.page(metrics: frames, task: "frames")
        #expect(clipPage.contains(Self.row("accuracy", "75.0 %")), "clip accuracy 0.75 as a percentage")
        #expect(framesPage.contains(Self.row("frame accuracy", "75.0 %")), "frame accuracy 75 as a percentage")
        #expect(framesPage.contains(Self.row("edit score", "66.7 %")))
        #expect(framesPage.contains(Self.row("F1@10", "80.0 %")))
        // No score is left on another scale (0.750 or 75.000) in either page.
        for page in [clipPage, framesPage] {
            #expect(!page.contains(">0.750<") && !page.contains(">75.000<"))
        }
        // The per-class table uses the same scale: "run" has precision 1/2, recall 1.
        #expect(clipPage.contains("<tr><td>run</td><td class=\"num\">50.0 %</td><td class=\"num\">100.0 %</td>"))
    }

    @Test func frameLabelsComeBackExactlyFromStoredSegments() throws {
        // Timestamps k/10 s are not exact in binary (0.30000000000000004); the predict step writes
        // segment starts to JSON and the report reads them back.
        let timestamps = (0..<12).map { Double($0) * 0.1 }
        let labels = [0, 0, 0, 2, 2, 1, 1, 1, 1, 0, 2, 2]
        let classes = ["a", "b", "c"]
        let segments = PredictedSegments.fromLabels(labels, timestamps: timestamps).map {
            ["label": classes[$0.label], "start": $0.start, "end": $0.end, "confidence": 0.5] as [String: Any]
        }
        #expect(segments.count == 5)
        let json = String(decoding: try JSONSerialization.data(withJSONObject: segments), as: UTF8.self)
        var row = Report.Video(path: "v.mp4", status: "done")
        Report.fill(
            &row,
            from: PredictionRecord(
                runID: "r", videoPath: "v.mp4", videoSHA256: "00", modelName: "m", label: "a", probability: 0.5,
                topKJSON: nil, segmentsJSON: json, created: Date()))
        let index = ["a": 0, "b": 1, "c": 2]
        #expect(Report.predictedFrameLabels(row.predictedSegments, timestamps: timestamps, classIndex: index) == labels)
        // A frame before the first segment, and a label the model does not know, are not counted.
        let early = Report.predictedFrameLabels(
            [.init(label: "a", start: 0.2, end: 1), .init(label: "zzz", start: 1, end: 2)], timestamps: [0, 0.5, 1.5],
            classIndex: index)
        #expect(early == [FrameLabels.ignore, 0, FrameLabels.ignore])
    }

    @Test func frameConfusionSkipsIgnoredFramesAndScoresPerClass() {
        var confusion = ConfusionMatrix(classCount: 2)
        Report.addFrames(&confusion, predicted: [0, 0, 1, 1, -1, 1], truth: [0, 1, 1, -1, 0, 1])
        #expect(confusion.total == 4, "frames 3 (no truth) and 4 (no prediction) are not counted")
        #expect(confusion[0, 0] == 1 && confusion[1, 0] == 1 && confusion[1, 1] == 2 && confusion[0, 1] == 0)
        let scores = confusion.scores(of: 1)
        #expect(scores.precision == 1 && abs(scores.recall - 2.0 / 3) < 1e-12 && scores.support == 3)
    }

    @Test func framesPerClassTableCountsFrames() throws {
        var report = try ReportHTMLTests.framesReport()
        var confusion = ConfusionMatrix(classCount: 3)
        Report.addFrames(&confusion, predicted: [0, 1, 1, 2], truth: [0, 1, 2, 2])
        report.model?.confusion = confusion
        report.model?.evaluatedSplit = "test"
        report.model?.perClass = (0..<3).map {
            (label: ["idle", "run", "walk"][$0], scores: confusion.scores(of: $0))
        }
        let html = ReportHTML.render(report)
        #expect(html.contains("<h3>Per class (frames of the test videos)</h3>") && html.contains("support (frames)"))
        #expect(html.contains("<tr><td>walk</td><td class=\"num\">100.0 %</td><td class=\"num\">50.0 %</td>"))
        #expect(ReportHTMLTests.count("<rect class=\"cell\"", in: html) == 9)
    }
}
