// The end-of-run summary of `vidact run`: per step, units done / skipped / failed; every failure
// with its reason; the evaluation when one ran (as `vidact evaluate` prints it). `--log-format json`
// gets the same as one JSON object.
import Catalog
import Foundation
import Pipeline

enum RunReportText {
    static func text(_ report: RunReport, config: PipelineConfig) -> String {
        var lines = ["run \(report.runID) (\(String(format: "%.1f", report.seconds)) s)"]
        for step in config.steps {
            guard let counts = report.counts[step] else {
                lines.append("  \(step.rawValue): not run")
                continue
            }
            lines.append("  \(step.rawValue): \(counts.done) done, \(counts.skipped) skipped, \(counts.failed) failed")
        }
        if report.executed == 0 { lines.append("nothing to do: every unit is done") }
        for failure in report.failures {
            lines.append("  failed: \(failure.step.rawValue) \(failure.unit): \(failure.reason)")
        }
        if let evaluation = report.evaluation {
            switch evaluation.scores {
            case .clip(let metrics): lines.append(EvaluationText.clip(metrics, report: evaluation))
            case .frames(let metrics): lines.append(EvaluationText.frames(metrics, report: evaluation))
            }
        }
        if let baseline = report.baselineAccuracy {
            lines.append(
                String(
                    format: "order-blind baseline (mean of the features over time → linear): accuracy %.4f", baseline))
        }
        if let captions = report.captionEvaluation {
            lines.append(captionLine("captions", captions))
            for baseline in captions.baseline { lines.append(captionLine("mean-pool baseline", baseline)) }
            lines.append("captions: \(config.workdir)/captions.csv, captions.jsonl")
        } else {
            lines.append("predictions: \(config.workdir)/predictions.csv, predictions.jsonl")
        }
        return lines.joined(separator: "\n")
    }

    static func captionLine(_ name: String, _ s: CaptionEvaluationSummary) -> String {
        var line = String(
            format: "%@ (%d videos): BLEU-4 %.4f, ROUGE-L %.4f, CIDEr-D %.4f", name, s.videos, s.bleu4, s.rougeL,
            s.ciderD)
        if let exact = s.exactMatch, let order = s.orderAccuracy {
            line += String(
                format: ", exact match %.1f %%, order accuracy on pairs %.1f %%", 100 * exact, 100 * order)
        }
        return line
    }

    static func json(_ report: RunReport) -> String {
        var steps: [String: Any] = [:]
        for (step, counts) in report.counts {
            steps[step.rawValue] = ["done": counts.done, "skipped": counts.skipped, "failed": counts.failed]
        }
        var object: [String: Any] = [
            "event": "summary", "run": report.runID, "seconds": report.seconds, "steps": steps,
            "failures": report.failures.map { ["step": $0.step.rawValue, "unit": $0.unit, "reason": $0.reason] },
            "executed": report.executed,
        ]
        if let baseline = report.baselineAccuracy { object["baseline_accuracy"] = baseline }
        if let captions = report.captionEvaluation {
            func tree(_ s: CaptionEvaluationSummary) -> [String: Any] {
                var object: [String: Any] = [
                    "videos": s.videos, "bleu_4": s.bleu4, "rouge_l": s.rougeL, "cider_d": s.ciderD,
                ]
                if let exact = s.exactMatch { object["exact_match"] = exact }
                if let order = s.orderAccuracy { object["order_accuracy"] = order }
                return object
            }
            var evaluation = tree(captions)
            if let baseline = captions.baseline.first { evaluation["baseline"] = tree(baseline) }
            object["caption_evaluation"] = evaluation
        }
        if let evaluation = report.evaluation {
            switch evaluation.scores {
            case .clip(let metrics): object["evaluation"] = EvaluationText.json(metrics, report: evaluation)
            case .frames(let metrics): object["evaluation"] = EvaluationText.json(metrics, report: evaluation)
            }
        }
        return JSONLine.encode(object)
    }
}
