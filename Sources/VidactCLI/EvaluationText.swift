// What `vidact evaluate` prints: the scores of an `EvaluationReport` as text for people or as one
// JSON object. Clip fractions are printed in [0, 1]; frame scores in percent, as MS-TCN reports them.
import Foundation
import Pipeline
import SequenceModels
import Training

enum EvaluationText {
    static func header(_ report: EvaluationReport) -> [String] {
        let model = report.model
        return [
            "model:    \(model.path) (\(model.task == .frames ? "frames" : "clip"), \(model.labelNames.count) classes, "
                + "extractor \(model.extractorKey))",
            "split:    \(report.split.rawValue), \(report.videoCount) videos",
        ]
    }

    static func clip(_ metrics: ClipMetrics, report: EvaluationReport) -> String {
        let names = report.model.labelNames
        func f(_ x: Double) -> String { String(format: "%.4f", x) }
        let width = max(5, names.map(\.count).max() ?? 0)
        func pad(_ text: String) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        var lines = header(report)
        lines.append("accuracy: \(f(metrics.accuracy))  top-\(metrics.topK): \(f(metrics.topKAccuracy))")
        lines.append(
            "macro:    precision \(f(metrics.macroPrecision))  recall \(f(metrics.macroRecall))  "
                + "f1 \(f(metrics.macroF1))")
        lines.append("")
        lines.append("\(pad("class"))  precision  recall  f1      support")
        for (name, scores) in zip(names, metrics.perClass) {
            lines.append(
                "\(pad(name))  \(f(scores.precision))     \(f(scores.recall))  \(f(scores.f1))  \(scores.support)")
        }
        lines.append("")
        lines.append("confusion matrix (rows: truth, columns: predicted):")
        lines.append(String(metrics.confusion.text(labelNames: names).dropLast()))
        return lines.joined(separator: "\n")
    }

    static func frames(_ metrics: FrameMetrics, report: EvaluationReport) -> String {
        var lines = header(report)
        lines.append("frames:   \(metrics.frameCount) annotated frames in \(metrics.videoCount) videos")
        lines.append(String(format: "frame accuracy: %.2f %%", metrics.accuracy))
        lines.append(String(format: "edit:           %.2f", metrics.edit))
        for score in metrics.f1 {
            lines.append(
                String(
                    format: "F1@%-3d          %.2f  (TP %d, FP %d, FN %d)", Int((score.overlap * 100).rounded()),
                    score.f1, score.truePositives, score.falsePositives, score.falseNegatives))
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ metrics: ClipMetrics, report: EvaluationReport) -> [String: Any] {
        let names = report.model.labelNames
        return [
            "task": "clip", "split": report.split.rawValue, "videos": report.videoCount, "accuracy": metrics.accuracy,
            "top_k": metrics.topK, "top_k_accuracy": metrics.topKAccuracy, "macro_precision": metrics.macroPrecision,
            "macro_recall": metrics.macroRecall, "macro_f1": metrics.macroF1, "labels": names,
            "per_class": zip(names, metrics.perClass).map { name, scores in
                [
                    "label": name, "precision": scores.precision, "recall": scores.recall, "f1": scores.f1,
                    "support": scores.support,
                ] as [String: Any]
            },
            "confusion": metrics.confusion.rows,
        ]
    }

    static func json(_ metrics: FrameMetrics, report: EvaluationReport) -> [String: Any] {
        var object: [String: Any] = [
            "task": "frames", "split": report.split.rawValue, "videos": report.videoCount,
            "frames": metrics.frameCount, "frame_accuracy": metrics.accuracy, "edit": metrics.edit,
        ]
        for score in metrics.f1 { object["f1@\(Int((score.overlap * 100).rounded()))"] = score.f1 }
        return object
    }
}
