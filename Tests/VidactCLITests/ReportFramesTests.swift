// `vidact report` of a real frames-task run: three multi-segment clips of `vidact dataset synth`
// (2–4 activities each, one clip per split), extract → train (a tiny bidirectional LSTM) → predict
// → evaluate, then the report. Checked: each video's timeline has a predicted lane and one truth
// rect per annotated segment of segments.csv; the legend lists the model's classes; the model
// section shows frame accuracy, edit and F1@{10,25,50} as percentages equal to
// evaluation-test.json's; the frame-level confusion matrix (rebuilt from the stored segments and
// the cached timestamps) counts the frames `vidact evaluate` scores, agrees with the evaluation's
// frame accuracy (computed from the model's own per-frame output) and predicts exactly the classes
// of the test clip's predicted lane; headless Chromium runs the page without console messages and
// keeps the timelines in its DOM.
import Foundation
import TestSupport
import Testing

struct ReportFramesTests {
    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The synthetic dataset's multi-segment clips and a frames pipeline over them (CNN input
    /// 224x224 as the backbone needs; 5 sampled frames per second of the 10 fps clips).
    static func framesPipeline(_ dir: String) throws -> String {
        let synth = try CLITests.vidact(
            "dataset", "synth", "--out", dir + "/data", "--per-class", "1", "--size", "32x24", "--frames", "4",
            "--multi", "3", "--seed", "5")
        #expect(synth.status == 0, "\(synth.stderr)")
        let text = """
            version: 1
            workdir: work
            dataset: {layout: manifest, manifest: data/segments_manifest.csv, segments: data/segments.csv}
            extract: {models: \(FeaturesCommandTests.models), sampling: {fps: 5}, geometry: {size: 224x224}, batch: 8}
            train: {task: frames, epochs: 4, hidden: 8, bidirectional: true, batch: 2, learning_rate: 0.01, seed: 1}
            predict: {videos: all}
            evaluate: {split: test}
            """
        try text.write(toFile: dir + "/frames.yaml", atomically: true, encoding: .utf8)
        return dir + "/frames.yaml"
    }

    /// Annotated segments per video path (relative to the dataset folder) of a `segments.csv`.
    static func segmentCounts(_ csv: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            guard let video = line.split(separator: ",").first else { continue }
            counts[String(video), default: 0] += 1
        }
        return counts
    }

    /// The cells of the confusion matrix SVG: (true class, predicted class) → count.
    static func confusionCells(_ html: String) throws -> [(truth: String, predicted: String, count: Int)] {
        let cell = try Regex(#"<rect class="cell"[^>]*><title>([^<]+?) → ([^<]+?): (\d+)</title>"#)
        return html.matches(of: cell).compactMap { match in
            guard let truth = match.output[1].substring, let predicted = match.output[2].substring,
                let count = match.output[3].substring.flatMap({ Int($0) })
            else { return nil }
            return (String(truth), String(predicted), count)
        }
    }

    @Test func reportOfARealFramesRun() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try Self.framesPipeline(dir)
        let run = try CLITests.run(CLITests.binary, ["run", file])
        #expect(run.status == 0, "\(run.stderr) \(run.stdout)")
        let report = try CLITests.run(CLITests.binary, ["report", "--pipeline", file])
        #expect(report.status == 0, "\(report.stderr)")
        let path = report.stdout.split(separator: "\n").first { $0.hasPrefix("report ") }.map {
            String($0.dropFirst("report ".count))
        }
        let html = try String(contentsOfFile: try #require(path, "\(report.stdout)"), encoding: .utf8)

        // One row per clip, each with both timeline lanes; truth rects match segments.csv.
        let annotated = Self.segmentCounts(try String(contentsOfFile: dir + "/data/segments.csv", encoding: .utf8))
        #expect(annotated.count == 3 && annotated.values.allSatisfy { (2...4).contains($0) }, "\(annotated)")
        let rows = html.components(separatedBy: "<tr class=\"video\"").dropFirst()
        #expect(rows.count == 3)
        for (video, segments) in annotated {
            let row = try #require(rows.first { $0.contains("<td>\(video)</td>") }, "no row for \(video)")
            #expect(row.contains("<svg class=\"timeline\""), "\(video) has a timeline")
            #expect(Self.count("<rect class=\"seg predicted\"", in: row) >= 1, "\(video) predicted lane")
            #expect(Self.count("<rect class=\"seg truth\"", in: row) == segments, "\(video) truth lane")
        }

        // The legend lists the model's classes.
        let models = dir + "/work/models"
        let model = try #require(try FileManager.default.contentsOfDirectory(atPath: models).first)
        let complete = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(models)/\(model)/complete.json")))
                as? [String: Any])
        let classes = try #require(complete["classes"] as? [String])
        #expect(classes.count >= 2)
        let legend = try #require(html.components(separatedBy: "<ul class=\"legend\" id=\"legend\">").last)
            .components(separatedBy: "</ul>")[0]
        for name in classes { #expect(legend.contains("</span>\(name)</li>"), "legend entry \(name)") }

        // Scores as percentages with one decimal, the same numbers as evaluation-test.json.
        let evaluation = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(models)/\(model)/evaluation-test.json")))
                as? [String: Any])
        let accuracy = try #require(evaluation["frame_accuracy"] as? Double)
        let edit = try #require(evaluation["edit"] as? Double)
        let f1 = try #require(evaluation["f1"] as? [[String: Any]]).compactMap { $0["f1"] as? Double }
        #expect(f1.count == 3)
        let shown =
            [("frame accuracy", accuracy), ("edit score", edit)]
            + zip(["F1@10", "F1@25", "F1@50"], f1).map { ($0, $1) }
        for (name, value) in shown {
            let cell = "<tr><th>\(name)</th><td class=\"num\">\(String(format: "%.1f %%", value))</td></tr>"
            #expect(html.contains(cell), "\(cell)")
        }

        // The frame-level confusion matrix: every class pair, frames of the test clip, and the same
        // accuracy as the evaluation's.
        let cells = try Self.confusionCells(html)
        #expect(cells.count == classes.count * classes.count)
        let total = cells.reduce(0) { $0 + $1.count }
        let hits = cells.filter { $0.truth == $0.predicted }.reduce(0) { $0 + $1.count }
        // As many frames as `vidact evaluate` scores on the test split, and the predicted classes
        // (columns with frames) are exactly those of the test clip's predicted lane.
        let evaluate = try CLITests.vidact(
            "evaluate", "--model", "\(models)/\(model)", "--data", dir + "/data/segments_manifest.csv", "--workdir",
            dir + "/work", "--split", "test", "--json")
        let scored = try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any]
        #expect(total > 0 && total == scored?["frames"] as? Int, "\(total) frames vs \(evaluate.stdout)")
        let testRow = try #require(rows.first { $0.contains("<td>test</td>") })
        let lane = try Regex(#"<rect class="seg predicted" data-label="([^"]+)""#)
        let laneLabels = Set(testRow.matches(of: lane).compactMap { $0.output[1].substring.map(String.init) })
        let columns = Set(cells.filter { $0.count > 0 }.map(\.predicted))
        #expect(!laneLabels.isEmpty && columns == laneLabels, "\(columns) vs \(laneLabels)")
        for name in classes {
            #expect(html.contains("<tr><td>\(name)</td><td class=\"num\">"), "per-class row \(name)")
        }
        #expect(abs(Double(hits) / Double(max(total, 1)) * 100 - accuracy) < 1e-9, "\(hits)/\(total) vs \(accuracy)")
        #expect(html.contains("<h3>Per class (frames of the test videos)</h3>") && html.contains("support (frames)"))

        let page = try Chromium.dumpDOM("file://\(path ?? "")")
        #expect(page.status == 0 && page.consoleLines.isEmpty, "console: \(page.consoleLines)")
        #expect(page.dom.contains("data-ready=\"1\""), "the table script ran")
        #expect(Self.count("<svg class=\"timeline\"", in: page.dom) == 3)
        #expect(Self.count("class=\"seg truth\"", in: page.dom) == annotated.values.reduce(0, +))
    }
}
