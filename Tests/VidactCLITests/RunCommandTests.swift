// `vidact run` end to end on tiny generated videos with the real CNN: extract → train → predict →
// evaluate; a second run does nothing and says so; two new videos make exactly two extract and
// two predict units; a second runner on the workdir exits 3 at once; two shard processes together
// do every extract unit exactly once; `vidact plan` and `vidact catalog check` agree.
import Catalog
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct RunCommandTests {
    /// A folder-per-class dataset: class `bars` (smptebars) and `pattern` (testsrc), `count` clips each.
    static func dataset(_ root: String, count: Int = 3, first: Int = 0) throws {
        for index in first..<(first + count) {
            for (label, source) in [("bars", "smptebars"), ("pattern", "testsrc")] {
                try FileManager.default.createDirectory(atPath: "\(root)/\(label)", withIntermediateDirectories: true)
                let result = try runProcess(
                    "ffmpeg",
                    [
                        "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                        "\(source)=size=96x72:rate=10:duration=1", "-vf", "hue=h=\(index * 25)", "-pix_fmt", "yuv420p",
                        "\(root)/\(label)/\(label)\(index).mp4",
                    ])
                #expect(result.status == 0, "ffmpeg: \(result.stderr)")
            }
        }
    }

    static func pipeline(_ dir: String) throws -> String {
        let text = """
            version: 1
            workdir: work
            dataset: {layout: folder_per_class, root: videos, val_fraction: 0, test_fraction: 0.3}
            extract: {models: \(FeaturesCommandTests.models), sampling: {uniform: 2}, batch: 4}
            train: {task: clip, epochs: 3, hidden: 16, batch: 4}
            predict: {videos: all}
            evaluate: {}
            """
        try text.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        return dir + "/p.yaml"
    }

    static func summary(_ result: ProcessResult) -> [String: Any] {
        FeaturesCommandTests.jsonLines(result.stdout).last { $0["event"] as? String == "summary" } ?? [:]
    }

    static func done(_ summary: [String: Any], _ step: String) -> Int? {
        ((summary["steps"] as? [String: Any])?[step] as? [String: Any])?["done"] as? Int
    }

    @Test func extractTrainPredictEvaluateThenNothingThenOnlyTheNewVideos() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.dataset(dir + "/videos")
        let file = try Self.pipeline(dir)
        let plan = try CLITests.run(CLITests.binary, ["plan", file])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("extract: 6 to do, 0 done"), "\(plan.stdout)")
        let first = try CLITests.run(CLITests.binary, ["run", file, "--log-format", "json"])
        #expect(first.status == 0, "\(first.stderr) \(first.stdout)")
        let one = Self.summary(first)
        #expect(Self.done(one, "extract") == 6 && Self.done(one, "train") == 1, "\(one)")
        #expect(Self.done(one, "predict") == 6 && Self.done(one, "evaluate") == 1, "\(one)")
        let predictions = try String(contentsOfFile: dir + "/work/predictions.csv", encoding: .utf8)
        #expect(predictions.split(separator: "\n").count == 7, "header + 6 rows: \(predictions)")
        #expect(FileManager.default.fileExists(atPath: dir + "/work/predictions.jsonl"))
        // Nothing new: nothing done, and the text summary says so.
        let second = try CLITests.run(CLITests.binary, ["run", file])
        #expect(second.status == 0)
        #expect(second.stdout.contains("nothing to do: every unit is done"), "\(second.stdout)")
        // Two new videos: exactly two extract and two predict units.
        try Self.dataset(dir + "/videos", count: 1, first: 7)
        let third = Self.summary(try CLITests.run(CLITests.binary, ["run", file, "--log-format", "json"]))
        #expect(Self.done(third, "extract") == 2 && Self.done(third, "predict") == 2, "\(third)")
        #expect(Self.done(third, "train") == 0, "new videos alone do not retrain: \(third)")
        let check = try CLITests.run(CLITests.binary, ["catalog", "check", "--workdir", dir + "/work"])
        #expect(check.status == 0, "\(check.stdout)")
    }

    @Test func aSecondRunnerOnTheWorkdirExitsThreeAndShardsShareTheWork() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.dataset(dir + "/videos", count: 4)
        let file = try Self.pipeline(dir)
        // Two shard processes side by side on one workdir.
        let shards = (0..<2).map { index -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLITests.binary)
            process.arguments = ["run", file, "--shard", "\(index)/2", "--steps", "extract", "--log-format", "json"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in shards { try process.run() }
        // While they hold it, a plain run is refused at once with exit 3 naming the holders.
        var locked: ProcessResult?
        for _ in 0..<50 where locked == nil {
            usleep(100_000)
            let text = try? String(contentsOfFile: dir + "/work/run.lock.shard-0-of-2", encoding: .utf8)
            if text?.hasPrefix("pid ") == true, shards.allSatisfy(\.isRunning) {
                locked = try CLITests.run(CLITests.binary, ["run", file])
            }
        }
        for process in shards { process.waitUntilExit() }
        let refused = try #require(locked, "the shards finished before the second runner could be started")
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("is locked by another vidact run (pid "), "\(refused.stderr)")
        #expect(shards.allSatisfy { $0.terminationStatus == 0 })
        // Every extract unit done exactly once across the two shards.
        let catalog = try Catalog(path: dir + "/work/catalog.sqlite")
        let items = try catalog.runs().flatMap { try catalog.items(runID: $0.id) }.filter { $0.step == .extract }
        let units = items.filter { $0.status == .done }.map(\.unit)
        #expect(units.count == 8 && Set(units).count == 8, "\(units.sorted())")
    }
}

struct RunSignalTests {
    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func aSignalStopsTheRunWhichIsRecordedAsInterrupted(signal: Int32, status: Int32) throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try RunCommandTests.dataset(dir + "/videos", count: 4)
        let file = try RunCommandTests.pipeline(dir)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = ["run", file]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the run holds its lock (it has started working), then signal it.
        for _ in 0..<100 {
            let holder = try? String(contentsOfFile: dir + "/work/run.lock", encoding: .utf8)
            if holder?.hasPrefix("pid ") == true { break }
            usleep(50_000)
        }
        usleep(300_000)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationStatus == status)
        let runs = FeaturesCommandTests.jsonLines(
            try CLITests.run(CLITests.binary, ["runs", "--json", "--workdir", dir + "/work"]).stdout)
        #expect(runs.first?["status"] as? String == "interrupted", "\(runs)")
        let check = try CLITests.run(CLITests.binary, ["catalog", "check", "--workdir", dir + "/work"])
        #expect(check.status == 0, "\(check.stdout)")
        // The next run carries on and completes.
        #expect(try CLITests.run(CLITests.binary, ["run", file]).status == 0)
    }
}
