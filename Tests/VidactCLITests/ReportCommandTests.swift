// `vidact report` end to end: a clip pipeline over six tiny generated videos and one file that is
// not a video (extract → train → predict → evaluate) gives a report at the default path with every
// video, the failure and its reason, predictions, thumbnails, the confusion matrix and training
// curves; headless Chromium runs it without console messages. An unknown run id and a workdir
// without a catalog are errors with exit status 1 that say what to do.
import Foundation
import TestSupport
import Testing

struct ReportCommandTests {
    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func reportOfARealRunAtTheDefaultPath() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try RunCommandTests.dataset(dir + "/videos", count: 3)
        try "not a video".write(toFile: dir + "/videos/bars/broken.mp4", atomically: true, encoding: .utf8)
        let file = try RunCommandTests.pipeline(dir)
        let run = try CLITests.run(CLITests.binary, ["run", file])
        #expect(run.status == 1, "one video fails: \(run.stderr) \(run.stdout)")
        let work = dir + "/work"
        let report = try CLITests.run(CLITests.binary, ["report", "--workdir", work])
        #expect(report.status == 0, "\(report.stderr)")
        let line = report.stdout.split(separator: "\n").first { $0.hasPrefix("report ") }.map(String.init) ?? ""
        let path = String(line.dropFirst("report ".count))
        #expect(path.hasPrefix(work + "/reports/") && path.hasSuffix(".html"), "\(report.stdout)")
        #expect(report.stdout.contains("6 done, 0 skipped, 1 failed of 7 videos"), "\(report.stdout)")
        let html = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        for video in (0..<3).flatMap({ ["bars/bars\($0).mp4", "pattern/pattern\($0).mp4"] }) {
            #expect(html.contains("<td>\(video)</td>"), "row of \(video)")
        }
        #expect(Self.count("<tr class=\"video\"", in: html) == 7)
        #expect(Self.count("<tr class=\"failure\"", in: html) >= 1)
        #expect(html.contains("<td>bars/broken.mp4</td>") && html.contains("<tr class=\"video\" data-failed=\"1\""))
        #expect(Self.count("<img class=\"thumb\"", in: html) == 12, "uniform:2 frames of each of 6 videos")
        #expect(Self.count("<rect class=\"cell\"", in: html) == 4, "2×2 confusion matrix")
        #expect(Self.count("<polyline class=\"curve\"", in: html) == 4)
        #expect(html.contains(">accuracy</th>") && html.contains("evaluated split"))
        let page = try Chromium.dumpDOM("file://\(path)#failed=1")
        #expect(page.status == 0 && page.consoleLines.isEmpty, "console: \(page.consoleLines)")
        #expect(page.dom.contains("data-ready=\"1\"") && page.dom.contains("data-visible=\"1\""))
        // A run named by prefix, to a chosen file.
        let runs = try CLITests.run(CLITests.binary, ["runs", "--workdir", work, "--json"])
        let id = (FeaturesCommandTests.jsonLines(runs.stdout).first?["id"] as? String) ?? "?"
        let chosen = try CLITests.run(
            CLITests.binary, ["report", String(id.prefix(6)), "--workdir", work, "--html", dir + "/out/r.html"])
        #expect(chosen.status == 0 && chosen.stdout.contains("report \(dir)/out/r.html"), "\(chosen.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/out/r.html"))
    }

    @Test func unknownRunAndMissingCatalogAreErrors() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = try CLITests.run(CLITests.binary, ["report", "--workdir", dir + "/nowhere"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no catalog"), "\(missing.stderr)")
        // A catalog with runs, asked for one it does not have.
        let work = dir + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let stress = try CLITests.run(CLITests.binary, ["catalog", "stress", "--workdir", work, "--items", "1"])
        #expect(stress.status == 0, "\(stress.stderr)")
        let unknown = try CLITests.run(CLITests.binary, ["report", "FFFFFFFF-NOPE", "--workdir", work])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no run 'FFFFFFFF-NOPE'") && unknown.stderr.contains("vidact runs"))
        let both = try CLITests.run(CLITests.binary, ["report", "--workdir", work, "--pipeline", "p.yaml"])
        #expect(both.status == 2, "usage error: \(both.stderr)")
    }
}
