// The text and JSON of `vidact evaluate` on a caption model: BLEU-1…4, ROUGE-L, CIDEr-D (raw, as
// pycocoevalcap returns them), the event scores when the references parse, per-video scores and
// hypotheses, and the settings that decide the scores.
import Foundation
import TextMetrics
import Training

enum CaptionEvaluationText {
    static func text(_ report: CaptionEvaluationReport) -> String {
        let s = report.scores
        var lines = [
            "model:   \(report.model)", "split:   \(report.split.rawValue) (\(s.perVideo.count) videos)",
            "decoding: beam \(report.decoding.beam), length penalty \(report.decoding.lengthPenalty), "
                + "max \(report.decoding.maxLength) words, frames \(report.frameOrder.rawValue)",
            String(format: "BLEU-4:  %.4f   (BLEU-1..3 %.4f %.4f %.4f)", s.bleu[3], s.bleu[0], s.bleu[1], s.bleu[2]),
            String(format: "ROUGE-L: %.4f", s.rougeL), String(format: "CIDEr-D: %.4f", s.ciderD),
        ]
        if let e = report.events {
            lines.append(
                String(
                    format: "events:  exact match %.1f %%, order accuracy on pairs %.1f %% (%d videos), "
                        + "colour %.1f %%, shape %.1f %%, parsed %.1f %%", 100 * e.exactMatch, 100 * e.orderAccuracy,
                    e.swappedVideos, 100 * e.colour, 100 * e.shape, 100 * e.parsed))
            lines.append(
                "         event slots "
                    + e.eventSlots.map { String(format: "%.1f %%", 100 * $0) }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ report: CaptionEvaluationReport) -> [String: Any] {
        let s = report.scores
        var object: [String: Any] = [
            "task": "caption", "model": report.model, "split": report.split.rawValue, "videos": s.perVideo.count,
            "bleu": s.bleu, "rouge_l": s.rougeL, "cider_d": s.ciderD,
            "per_video": zip(s.perVideo, report.hypotheses).map { scores, hypothesis in
                [
                    "video": scores.video, "caption": hypothesis.caption, "log_probability": hypothesis.logProbability,
                    "bleu": scores.bleu, "rouge_l": scores.rougeL, "cider_d": scores.ciderD,
                ] as [String: Any]
            },
            "per_video_note": "cider_d per video depends on the evaluated set (its idf)",
            "settings": [
                "tokenizer": CaptionTokenizer.version, "beam": report.decoding.beam,
                "length_penalty": report.decoding.lengthPenalty, "max_words": report.decoding.maxLength,
                "frame_order": report.frameOrder.rawValue, "references_sha256": report.referencesSHA256,
            ] as [String: Any],
        ]
        if let e = report.events {
            object["events"] =
                [
                    "videos": e.videos, "parsed": e.parsed, "exact_match": e.exactMatch, "colour": e.colour,
                    "shape": e.shape, "event_slots": e.eventSlots, "swapped_videos": e.swappedVideos,
                    "order_accuracy": e.orderAccuracy,
                ] as [String: Any]
        }
        return object
    }
}
