// `vidact dataset synth` end to end: a small dataset is written with the documented files and a
// summary line, and bad options are usage errors (exit status 2).
import Foundation
import TestSupport
import Testing

struct DatasetCommandTests {
    @Test func synthWritesTheDatasetAndSummarises() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("vidact-synth-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try CLITests.vidact(
            "dataset", "synth", "--out", out, "--per-class", "1", "--size", "32x24", "--frames", "4", "--multi", "1",
            "--seed", "9")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("10 clips in 10 classes, 1 multi-segment clips"), "\(result.stdout)")
        #expect(result.stderr.contains("11/11"), "\(result.stderr)")
        for file in [
            "classInd.txt", "trainlist01.txt", "testlist01.txt", "manifest.csv", "segments.csv",
            "segments_manifest.csv", "README.md", "clips/grow/grow_000.mp4", "clips/move_left/move_left_000.mp4",
            "segments/multi_000.mp4",
        ] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "missing \(file)")
        }
    }

    @Test(arguments: [["--size", "31x24"], ["--size", "big"], ["--per-class", "0"], ["--frames", "1"]])
    func badOptionsAreUsageErrors(options: [String]) throws {
        let result = try CLITests.run(CLITests.binary, ["dataset", "synth", "--out", "/tmp/unused"] + options)
        #expect(result.status == 2, "\(options): \(result.stderr)")
    }
}
