// Renders a `Report` as one self-contained HTML page: inline CSS and script (`ReportAssets`),
// inline SVG figures (`ReportSVG`) and thumbnails as `data:image/jpeg;base64,…` URLs, so the file
// can be mailed or opened from anywhere with no network. Sections: the run (when, how long, counts,
// throughput), notes on what is absent, failures with their reasons, the model (scores and
// per-class table, all as percentages with one decimal; confusion matrix, training curves), and
// the videos table (one row per video: split, true label, prediction with probability and top-3,
// extract status, thumbnail strip, timeline for the frames task). Every string that comes from
// data is HTML-escaped.
import Basics
import Foundation
import SafeTensors

public enum ReportHTML {
    /// The page of `report`.
    public static func render(_ report: Report) -> String {
        var html = [
            "<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
            "<title>vidact run \(XML.escape(String(report.summary.runID.prefix(8))))</title>",
            "<style>\n\(ReportAssets.css)\n</style>", "</head>", "<body>", "<h1>vidact run report</h1>",
            "<p>run <code>\(XML.escape(report.summary.runID))</code> · generated \(time(report.generated))</p>",
        ]
        html += summary(report.summary)
        if !report.notes.isEmpty {
            html.append("<ul class=\"notes\" id=\"notes\">")
            html += report.notes.map { "<li>\(XML.escape($0))</li>" }
            html.append("</ul>")
        }
        html += failures(report.failures)
        html += ReportHTML.model(report.model)
        html += videos(report.videos, model: report.model)
        html += ["<script>\n\(ReportAssets.script)\n</script>", "</body>", "</html>"]
        return html.joined(separator: "\n") + "\n"
    }

    /// Writes the page of `report` to `path` atomically (creating its folder).
    public static func write(_ report: Report, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try AtomicFile.write(Array(render(report).utf8), to: path)
    }

    static func summary(_ s: Report.Summary) -> [String] {
        var rows: [(String, String)] = [
            ("status", "<span class=\"\(s.status == "completed" ? "ok" : "bad")\">\(XML.escape(s.status))</span>"),
            ("pipeline", s.pipeline.map { "<code>\(XML.escape($0))</code>" } ?? "unknown"),
            ("workdir", "<code>\(XML.escape(s.workdir))</code>"),
            ("host", XML.escape(s.host) + (s.shard.map { " (shard \(XML.escape($0)))" } ?? "")),
            ("started", time(s.started)), ("ended", s.ended.map(time) ?? "still running"),
            ("duration", duration(s.seconds)),
            (
                "videos",
                "\(s.videosSeen) seen: <b>\(s.videosDone)</b> done, \(s.videosSkipped) skipped (already cached "
                    + "or not retried), <b class=\"\(s.videosFailed > 0 ? "bad" : "ok")\">\(s.videosFailed)</b> failed"
            ),
        ]
        var throughput: [String] = []
        if let perMinute = s.videosPerMinute { throughput.append(String(format: "%.1f videos/min", perMinute)) }
        if let fps = s.framesPerSecond { throughput.append(String(format: "%.1f decoded frames/s", fps)) }
        rows.append(
            ("throughput", throughput.isEmpty ? "no videos extracted by this run" : throughput.joined(separator: ", ")))
        rows.append(
            ("steps", s.steps.map { "\($0.step): \($0.done) done, \($0.failed) failed" }.joined(separator: "; ")))
        rows.append(("config hash", "<code>\(XML.escape(s.configHash))</code>"))
        return ["<section id=\"summary\">", "<h2>Run</h2>", "<table class=\"kv\">"]
            + rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" } + ["</table>", "</section>"]
    }

    static func failures(_ failures: [Report.Failure]) -> [String] {
        var out = ["<section id=\"failures\">", "<h2>Failures (\(failures.count))</h2>"]
        guard !failures.isEmpty else { return out + ["<p>No failures.</p>", "</section>"] }
        out.append("<table id=\"failure-table\"><tr><th>step</th><th>unit</th><th>kind</th><th>reason</th></tr>")
        for failure in failures {
            out.append(
                "<tr class=\"failure\"><td>\(XML.escape(failure.step))</td><td>\(XML.escape(failure.unit))</td>"
                    + "<td><code>\(XML.escape(failure.kind))</code></td><td>\(XML.escape(failure.message))</td></tr>")
        }
        return out + ["</table>", "</section>"]
    }

    static func model(_ model: Report.Model?) -> [String] {
        var out = ["<section id=\"model\">", "<h2>Model</h2>"]
        guard let model else { return out + ["<p>No model for this run.</p>", "</section>"] }
        out.append(
            model.task == "caption"
                ? "<p>model <code>\(XML.escape(model.name))</code>, caption task (a sentence per video)</p>"
                : "<p>model <code>\(XML.escape(model.name))</code>, \(XML.escape(model.task)) task, "
                    + "\(model.classes.count) classes: " + model.classes.map(XML.escape).joined(separator: ", ")
                    + "</p>")
        if !model.metrics.isEmpty {
            out.append("<table id=\"metrics\" class=\"kv\">")
            if let split = model.evaluatedSplit {
                out.append("<tr><th>evaluated split</th><td>\(XML.escape(split))</td></tr>")
            }
            for metric in model.metrics {
                out.append(
                    "<tr><th>\(XML.escape(metric.name))</th><td class=\"num\">\(percent(metric.value))</td></tr>")
            }
            out.append("</table>")
        }
        if !model.perClass.isEmpty {
            let split = XML.escape(model.evaluatedSplit ?? "")
            let (title, unit) =
                model.task == "frames"
                ? ("frames of the \(split) videos", "frames") : ("\(split) predictions", "videos")
            out.append(
                "<h3>Per class (\(title))</h3><table id=\"per-class\"><tr><th>class</th><th>precision</th>"
                    + "<th>recall</th><th>F1</th><th>support (\(unit))</th></tr>")
            for (label, s) in model.perClass {
                out.append(
                    "<tr><td>\(XML.escape(label))</td><td class=\"num\">\(percent(s.precision))</td><td class=\"num\">"
                        + "\(percent(s.recall))</td><td class=\"num\">\(percent(s.f1))</td>"
                        + "<td class=\"num\">\(s.support)</td></tr>")
            }
            out.append("</table>")
        }
        out.append("<div class=\"figures\">")
        if let confusion = model.confusion { out.append(ReportSVG.confusion(confusion, classes: model.classes)) }
        out.append(ReportSVG.trainingCurves(model.trainLog))
        out.append("</div>")
        return out + ["</section>"]
    }

    static func videos(_ videos: [Report.Video], model: Report.Model?) -> [String] {
        var out = ["<section id=\"videos\">", "<h2>Videos (\(videos.count))</h2>"]
        // The model's classes, then any other segment label (annotations the model does not know),
        // so every segment has a colour and a legend entry.
        let known = model?.classes ?? []
        let labels = Set(videos.flatMap { ($0.predictedSegments + $0.truthSegments).map(\.label) })
        let classes = known + labels.subtracting(known).sorted()
        if videos.contains(where: { !$0.predictedSegments.isEmpty || !$0.truthSegments.isEmpty }) {
            out.append("<ul class=\"legend\" id=\"legend\">")
            out += classes.map {
                "<li><span class=\"swatch\" style=\"background:\(ReportSVG.colour($0, classes: classes))\"></span>"
                    + "\(XML.escape($0))</li>"
            }
            out.append("</ul>")
        }
        out.append(
            "<div class=\"controls\"><input id=\"filter\" type=\"search\" placeholder=\"filter rows\">"
                + "<label><input id=\"failed-only\" type=\"checkbox\"> failed only</label><span id=\"shown\"></span></div>"
        )
        let caption = model?.task == "caption"
        let columns = [
            ("video", "video", "text"), ("split", "split", "text"),
            ("truth", caption ? "references" : "true label", "text"),
            ("predicted", caption ? "caption" : "predicted", "text"),
            ("probability", caption ? "log-probability" : "probability", "number"), ("top", "top-3", "text"),
            ("status", "extract", "text"), ("frames", caption ? "frames and attention" : "frames", "text"),
        ]
        out.append(
            "<table id=\"video-table\" data-ready=\"0\"><thead><tr>"
                + columns.map { "<th data-key=\"\($0.0)\" data-type=\"\($0.2)\">\($0.1)</th>" }.joined()
                + "</tr></thead><tbody>")
        out += videos.map { row($0, classes: classes) }
        return out + ["</tbody></table>", "</section>"]
    }

    static func row(_ video: Report.Video, classes: [String]) -> String {
        let failed = video.status == "failed" || video.status == "interrupted"
        // A frames-task video's manifest label (e.g. `multi`) is not a class: its truth is the
        // annotated timeline, so the row is not marked right or wrong by that label.
        let annotated = !video.truthSegments.isEmpty
        let correct = annotated ? nil : video.truth.flatMap { truth in video.predicted.map { $0 == truth } }
        let truthCell =
            !video.references.isEmpty
            ? video.references.map(XML.escape).joined(separator: "<br>")
            : annotated ? "segments (timeline)" : XML.escape(video.truth ?? "")
        var cells = [
            "<td>\(XML.escape(video.path))</td>", "<td>\(XML.escape(video.split ?? ""))</td>",
            "<td>\(truthCell)</td>",
            "<td class=\"\(correct == false ? "bad" : "")\">\(XML.escape(video.predicted ?? ""))</td>",
            "<td class=\"num\" data-value=\"\(video.probability.map { String($0) } ?? "")\">"
                + "\(video.probability.map(number) ?? "")</td>",
            "<td>" + video.top.map { "\(XML.escape($0.label)) \(number($0.probability))" }.joined(separator: "<br>")
                + "</td>",
            "<td>\(XML.escape(video.status))</td>",
        ]
        var frames = "<div class=\"strip\">"
        frames +=
            video.thumbnails.isEmpty
            ? "<span class=\"placeholder\">no frames</span>"
            : video.thumbnails.enumerated().map {
                "<img class=\"thumb\" alt=\"frame \($0.offset + 1)\" src=\"data:image/jpeg;base64,"
                    + Data($0.element).base64EncodedString() + "\">"
            }.joined()
        frames += "</div>"
        if let note = video.thumbnailNote { frames += "<div class=\"note\">\(XML.escape(note))</div>" }
        frames += ReportSVG.timeline(predicted: video.predictedSegments, truth: video.truthSegments, classes: classes)
        if !video.attention.isEmpty {
            let words = (video.predicted ?? "").split(separator: " ").map(String.init)
            frames += ReportSVG.attention(video.attention, words: words)
        }
        cells.append("<td>\(frames)</td>")
        return "<tr class=\"video\" data-failed=\"\(failed ? "1" : "0")\" data-correct=\""
            + (correct.map { $0 ? "1" : "0" } ?? "") + "\">" + cells.joined() + "</tr>"
    }

    static func number(_ value: Double) -> String { String(format: "%.3f", value) }

    /// A score (a fraction) as a percentage with one decimal: every score of the page is shown so.
    static func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }

    static func time(_ date: Date) -> String { Date.ISO8601FormatStyle().format(date) }

    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        if seconds < 3600 { return String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60) }
        return String(format: "%d h %02d min", Int(seconds) / 3600, Int(seconds) % 3600 / 60)
    }
}
