// The report page from hand-built reports: data strings are escaped (a file name with `<script>`
// and `&`), the expected rows, labels, failures, figures and script are in the HTML; then headless
// Chromium loads the page: no console messages, the table script ran (sorted and filtered by the
// URL fragment), the confusion matrix and the frames timeline are drawn, and a screenshot renders.
import Foundation
import SequenceModels
import TestSupport
import Testing
import VideoDecoding

@testable import Reports
@testable import VideoEncoding

struct ReportHTMLTests {
    static let hostile = "walk/<script>alert(1)</script>&b.mp4"

    /// A clip-task report: three videos (one with a hostile name, one failed), a model with a
    /// 2-class confusion matrix and a 3-epoch training log.
    static func clipReport() throws -> Report {
        let jpeg = try ImageEncoder(format: .jpg, width: 16, height: 12).encode(
            rgb: [UInt8](repeating: 128, count: 16 * 12 * 3))
        let summary = Report.Summary(
            runID: "0123ABCD-0000-0000-0000-000000000000", status: "failed", pipeline: "/p/demo.yaml", workdir: "/w",
            configHash: "abc", host: "box", shard: nil, started: Date(timeIntervalSince1970: 1_700_000_000),
            ended: Date(timeIntervalSince1970: 1_700_000_060), seconds: 60, videosSeen: 3, videosDone: 2,
            videosFailed: 1, videosSkipped: 0, decodedFrames: 120,
            steps: [Report.StepCount(step: "extract", done: 2, failed: 1)])
        var confusion = ConfusionMatrix(classCount: 2)
        confusion.add(truth: 0, predicted: 0)
        confusion.add(truth: 1, predicted: 0)
        let model = Report.Model(
            name: "lstm-1234", task: "clip", classes: ["run", "walk"], metrics: [.init(name: "accuracy", value: 0.5)],
            evaluatedSplit: "test",
            perClass: [("run", confusion.scores(of: 0)), ("walk", confusion.scores(of: 1))],
            confusion: confusion,
            trainLog: (1...3).map {
                Report.Epoch(
                    epoch: $0, trainLoss: 1 / Double($0), trainAccuracy: 0.3 * Double($0),
                    validationLoss: 1.2 / Double($0), validationAccuracy: 0.25 * Double($0))
            })
        let videos = [
            Report.Video(
                path: "run/a.mp4", split: "test", truth: "run", status: "done", predicted: "run", probability: 0.9,
                top: [.init(label: "run", probability: 0.9), .init(label: "walk", probability: 0.1)],
                thumbnails: [jpeg, jpeg]),
            Report.Video(
                path: hostile, split: "test", truth: "walk", status: "done", predicted: "run", probability: 0.6,
                top: [.init(label: "run", probability: 0.6)], thumbnails: [jpeg]),
            Report.Video(
                path: "walk/broken.mp4", split: "train", truth: "walk", status: "failed",
                thumbnailNote: "thumbnails incomplete: not a video"),
        ]
        let failures = [
            Report.Failure(step: "extract", unit: "walk/broken.mp4", kind: "notAVideo", message: "x <b>bold</b> & y")
        ]
        return Report(summary: summary, failures: failures, videos: videos, model: model, notes: ["A note & more."])
    }

    /// A frames-task report: one video with predicted and true segments over 3 classes.
    static func framesReport() throws -> Report {
        var report = try clipReport()
        report.model = Report.Model(name: "frames-1", task: "frames", classes: ["idle", "run", "walk"])
        report.failures = []
        report.videos = [
            Report.Video(
                path: "seq/one.mp4", truth: "multi", status: "done", predicted: "run", probability: 0.7,
                predictedSegments: [.init(label: "idle", start: 0, end: 1), .init(label: "run", start: 1, end: 3)],
                truthSegments: [.init(label: "idle", start: 0, end: 1.5), .init(label: "walk", start: 1.5, end: 3)])
        ]
        return report
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    static func writePage(_ report: Report) throws -> (dir: String, path: String) {
        let dir = NSTemporaryDirectory() + "vidact-report-\(UUID().uuidString)"
        let path = dir + "/report.html"
        try ReportHTML.write(report, to: path)
        return (dir, path)
    }

    @Test func dataStringsAreEscaped() throws {
        let html = ReportHTML.render(try Self.clipReport())
        #expect(!html.contains("<script>alert(1)"), "a file name's markup must not reach the page")
        #expect(html.contains("walk/&lt;script&gt;alert(1)&lt;/script&gt;&amp;b.mp4"))
        #expect(html.contains("x &lt;b&gt;bold&lt;/b&gt; &amp; y"))
        #expect(Self.count("<script>", in: html) == 1, "only the page's own script")
    }

    @Test func rowsLabelsFailuresAndFiguresArePresent() throws {
        let html = ReportHTML.render(try Self.clipReport())
        #expect(Self.count("<tr class=\"video\"", in: html) == 3)
        #expect(Self.count("<tr class=\"failure\"", in: html) == 1)
        #expect(html.contains("<td><code>notAVideo</code></td>"))
        #expect(Self.count("<img class=\"thumb\"", in: html) == 3)
        #expect(html.contains("data:image/jpeg;base64,/9j/"), "JPEG data starts with FFD8FF")
        #expect(Self.count("<rect class=\"cell\"", in: html) == 4, "a 2×2 confusion matrix")
        #expect(Self.count("<polyline class=\"curve\"", in: html) == 4, "loss and accuracy, train and validation")
        #expect(html.contains("2.0 videos/min") && html.contains("2.0 decoded frames/s"))
        #expect(html.contains("addEventListener(\"click\""), "the table script is inlined")
        #expect(!html.contains("<link") && !html.contains("src=\"http"))
    }

    @Test func framesTimelineHasALegendAndBothLanes() throws {
        let html = ReportHTML.render(try Self.framesReport())
        #expect(Self.count("<rect class=\"seg predicted\"", in: html) == 2)
        #expect(Self.count("<rect class=\"seg truth\"", in: html) == 2)
        #expect(Self.count("<span class=\"swatch\"", in: html) == 3)
        // The same class has the same colour in the legend and the timeline.
        let walk = ReportSVG.colour("walk", classes: ["idle", "run", "walk"])
        #expect(html.contains("background:\(walk)\"></span>walk") && html.contains("data-label=\"walk\" x="))
        // The manifest label of an annotated video (`multi`) is not a class: no right/wrong marking.
        #expect(html.contains("<td>segments (timeline)</td>") && !html.contains("<td>multi</td>"))
        #expect(html.contains("data-correct=\"\">") && html.contains("<td class=\"\">run</td>"))
    }

    @Test func segmentLabelsWithoutAModelStillGetColoursAndALegend() throws {
        var report = try Self.framesReport()
        report.model = nil
        let html = ReportHTML.render(report)
        #expect(Self.count("<span class=\"swatch\"", in: html) == 3, "idle, run, walk from the segments")
        #expect(!html.contains("fill=\"#000000\"><title>"), "no segment without a class colour")
    }

    @Test func chromiumRunsThePageWithoutConsoleMessagesAndAppliesTheFragment() throws {
        let (dir, path) = try Self.writePage(try Self.clipReport())
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let page = try Chromium.dumpDOM("file://\(path)#sort=probability:desc&filter=test")
        #expect(page.status == 0, "\(page.stderr)")
        #expect(page.consoleLines.isEmpty, "console: \(page.consoleLines)")
        #expect(page.dom.contains("data-ready=\"1\""), "the table script ran")
        #expect(page.dom.contains("data-sort=\"probability:desc\"") && page.dom.contains("data-visible=\"2\""))
        // Sorted by probability, highest first: a.mp4 (0.9) before the hostile name (0.6); the train
        // video is filtered out (hidden).
        let first = try #require(page.dom.range(of: "run/a.mp4"))
        let second = try #require(page.dom.range(of: "walk/&lt;script&gt;"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(page.dom.contains("<tr class=\"video\" data-failed=\"1\" data-correct=\"\" hidden=\"\">"))
        #expect(Self.count("<rect class=\"cell\"", in: page.dom) == 4)
        let onlyFailed = try Chromium.dumpDOM("file://\(path)#failed=1")
        #expect(onlyFailed.dom.contains("data-visible=\"1\"") && onlyFailed.consoleLines.isEmpty)
    }

    @Test func chromiumDrawsTheTimelineAndTakesAScreenshot() throws {
        let (dir, path) = try Self.writePage(try Self.framesReport())
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let page = try Chromium.dumpDOM("file://\(path)")
        #expect(page.consoleLines.isEmpty, "console: \(page.consoleLines)")
        #expect(Self.count("class=\"seg predicted\"", in: page.dom) == 2)
        #expect(Self.count("class=\"seg truth\"", in: page.dom) == 2)
        let png = dir + "/report.png"
        let shot = try Chromium.screenshot("file://\(path)", to: png)
        #expect(shot.status == 0, "\(shot.stderr)")
        let bytes = [UInt8](FileManager.default.contents(atPath: png) ?? Data())
        #expect(bytes.count > 1000 && bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG of \(bytes.count) bytes")
    }

    @Test func theConsoleCheckSeesAPageError() throws {
        let dir = NSTemporaryDirectory() + "vidact-report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "<html><body><script>notDefined();</script></body></html>".write(
            toFile: dir + "/bad.html", atomically: true, encoding: .utf8)
        let page = try Chromium.dumpDOM("file://\(dir)/bad.html")
        #expect(page.consoleLines.contains { $0.contains("notDefined") }, "\(page.stderr)")
    }
}
