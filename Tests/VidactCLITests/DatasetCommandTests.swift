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

    @Test func synthCaptionsWritesOnlyTheCaptionSet() throws {
        let out = try TemporaryDirectory.make("synth-captions")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try CLITests.vidact(
            "dataset", "synth", "--out", out, "--captions", "4", "--size", "32x24", "--event-frames", "2", "--seed",
            "3",
            "--caption-events", "grows, moves left,turns")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("4 caption clips in 2 pairs"), "\(result.stdout)")
        #expect(result.stderr.contains("4/4"), "\(result.stderr)")
        for file in ["captions.csv", "captions_events.csv", "README.md", "captions/000.mp4", "captions/003.mp4"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "missing \(file)")
        }
        for file in ["clips", "segments", "manifest.csv"] {
            #expect(!FileManager.default.fileExists(atPath: out + "/" + file), "\(file) written with --captions")
        }
        let rows = try String(contentsOfFile: out + "/captions_events.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 5)
        for row in rows.dropFirst() {
            let events = row.split(separator: ",").last?.split(separator: ";") ?? []
            #expect(events.allSatisfy { ["grows", "moves left"].contains($0) || $0.hasPrefix("turns ") }, "\(row)")
        }
        let readme = try String(contentsOfFile: out + "/README.md", encoding: .utf8)
        #expect(readme.contains("--caption-events 'grows,moves left,turns red,turns green,turns blue,turns yellow'"))
    }

    @Test(arguments: [
        ["--captions", "3"], ["--captions", "0"], ["--captions", "4", "--per-class", "2"],
        ["--captions", "4", "--frames", "8"], ["--captions", "4", "--caption-events", "dances"],
        ["--captions", "4", "--caption-events", "grows,shrinks"], ["--event-frames", "6"],
        ["--captions", "4", "--captions-probe", "3"], ["--captions", "4", "--event-frames", "1"],
    ])
    func badCaptionOptionsAreUsageErrors(options: [String]) throws {
        let result = try CLITests.run(CLITests.binary, ["dataset", "synth", "--out", "/tmp/unused"] + options)
        #expect(result.status == 2, "\(options): \(result.stderr)")
    }

    @Test(arguments: [["--size", "31x24"], ["--size", "big"], ["--per-class", "0"], ["--frames", "1"]])
    func badOptionsAreUsageErrors(options: [String]) throws {
        let result = try CLITests.run(CLITests.binary, ["dataset", "synth", "--out", "/tmp/unused"] + options)
        #expect(result.status == 2, "\(options): \(result.stderr)")
    }
}
