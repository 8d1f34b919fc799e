// Crash safety of `vidact run`: SIGKILL at random moments (seeded, seeds printed) over a small
// pipeline. After each kill `vidact catalog check` is clean and no file under a final name in the
// cache is invalid; the final run completes with the same predictions as an uninterrupted run in
// another workdir, and no unit was completed twice (run items with status done, counted per step
// and unit over every run).
import Catalog
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct RunCrashTests {
    @Test func killedRunsResumeToTheSamePredictionsWithNothingDoneTwice() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try RunCommandTests.dataset(dir + "/videos", count: 4)
        let file = try RunCommandTests.pipeline(dir)
        // The uninterrupted reference, in its own workdir.
        let reference = dir + "/reference.yaml"
        try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(
            of: "workdir: work", with: "workdir: ref"
        )
        .write(toFile: reference, atomically: true, encoding: .utf8)
        let start = Date()
        let uninterrupted = try CLITests.run(CLITests.binary, ["run", reference])
        #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")
        let full = Date().timeIntervalSince(start)
        var midway = 0
        for attempt in 0..<10 {
            let seed = UInt64(20_261_127_100 + attempt)
            var rng = FeaturesCrashTests.SplitMix(state: seed)
            let delay = Double.random(in: 0.2...max(0.5, 0.5 * full), using: &rng)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLITests.binary)
            process.arguments = ["run", file]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(delay * 1_000_000))
            if process.isRunning { midway += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let invalid = FeaturesCrashTests.finalFiles(dir + "/work").filter { !$0.value.valid }.map(\.key)
            print("run crash test: seed \(seed) kill after \(String(format: "%.2f", delay)) s; invalid \(invalid)")
            #expect(invalid.isEmpty, "seed \(seed): \(invalid)")
            if FileManager.default.fileExists(atPath: dir + "/work/catalog.sqlite") {
                let check = try CLITests.run(CLITests.binary, ["catalog", "check", "--workdir", dir + "/work"])
                #expect(check.status == 0, "seed \(seed): \(check.stdout) \(check.stderr)")
            }
        }
        print(
            "run crash test: \(midway) of 10 kills landed mid-run (uninterrupted run \(String(format: "%.1f", full)) s)"
        )
        #expect(midway >= 5)
        let final = try CLITests.run(CLITests.binary, ["run", file])
        #expect(final.status == 0, "\(final.stderr)")
        let expected = try String(contentsOfFile: dir + "/ref/predictions.csv", encoding: .utf8)
        let got = try String(contentsOfFile: dir + "/work/predictions.csv", encoding: .utf8)
        // Same videos, labels and probabilities (the model column holds the same model id).
        #expect(got == expected, "predictions differ:\n\(got)\nvs\n\(expected)")
        let catalog = try Catalog(path: dir + "/work/catalog.sqlite")
        var completions: [String: Int] = [:]
        for run in try catalog.runs() {
            for item in try catalog.items(runID: run.id) where item.status == .done {
                completions["\(item.step.rawValue) \(item.unit)", default: 0] += 1
            }
        }
        let twice = completions.filter { $0.value > 1 }
        #expect(twice.isEmpty, "units completed more than once: \(twice)")
    }
}
