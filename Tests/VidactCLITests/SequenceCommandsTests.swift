// `vidact train`, `predict` and `evaluate` end to end on a tiny workdir written without the CNN
// (`SequenceFixture`): a clip model learns a class that only frame order tells, predicts it from a
// video (via the cache) and from a feature file in three formats, and evaluate prints its scores,
// the confusion matrix and the SVG; a frames model learns per-frame labels from a segments CSV and
// is scored with MS-TCN's metrics; and the errors name what to do: a video not cached (the extract
// command), features of another extractor key (both keys), a bad manifest line (file:line), a
// workdir with two keys (both listed).
import FeatureStore
import Foundation
import SafeTensors
import SequenceFixtures
import TensorCore
import TestSupport
import Testing

struct SequenceCommandsTests {
    static let hyper = ["--epochs", "40", "--batch", "4", "--lr", "0.03", "--hidden", "8", "--schedule", "constant"]

    static func train(_ fixture: SequenceFixture, out: String, _ extra: [String] = []) throws -> ProcessResult {
        try CLITests.run(
            CLITests.binary,
            ["train", "--data", fixture.manifest, "--workdir", fixture.workdir, "--out", out] + hyper + extra)
    }

    static func jsonObject(_ text: String) -> [String: Any]? {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.first
    }

    @Test func clipTrainPredictEvaluate() throws {
        let fixture = try SequenceFixture()
        defer { fixture.remove() }
        let out = fixture.dir + "/model"
        let trained = try Self.train(fixture, out: out)
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderr.contains("epoch 1/40  train loss"), "\(trained.stderr)")
        #expect(trained.stderr.contains("16 train, 4 val videos, 2 classes"))
        for file in ["best.safetensors", "checkpoint-last.safetensors", "train_log.csv"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "\(file) missing")
        }
        let log = try String(contentsOfFile: out + "/train_log.csv", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 41)
        let metadata = try SafeTensorsFile(path: out + "/best.safetensors").metadata
        #expect(metadata["feature_extractor"] == SequenceFixture.spec.key)
        #expect(metadata["feature_extractor_spec"] == SequenceFixture.spec.canonicalJSON)
        #expect(metadata["labels"] == "[\"down\",\"up\"]")
        #expect(metadata["task"] == "clip")

        // A video through the cache (table), a feature file (json), and csv.
        let table = try CLITests.vidact("predict", "--model", out, fixture.video(20), "--workdir", fixture.workdir)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.hasPrefix(fixture.video(20) + "\n  1. up  "), "\(table.stdout)")
        let featureFile = FeatureStore(workdir: fixture.workdir).path(
            key: SequenceFixture.spec.key, videoSHA256: try ContentHash.sha256(path: fixture.video(21)))
        let json = try CLITests.vidact("predict", "--model", out, featureFile, "--format", "json", "--top", "1")
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(Self.jsonObject(json.stdout))
        let top = try #require(object["top"] as? [[String: Any]])
        #expect(top.count == 1 && top[0]["label"] as? String == "down")
        #expect((top[0]["probability"] as? Double ?? 0) > 0.5)
        #expect(object["feature_file"] as? String == featureFile)
        let csv = try CLITests.vidact(
            "predict", "--model", out, fixture.video(22), fixture.video(23), "--workdir", fixture.workdir, "--format",
            "csv")
        let rows = csv.stdout.split(separator: "\n").map(String.init)
        #expect(rows.count == 5 && rows[0] == "video,rank,label,probability", "\(csv.stdout)")
        #expect(
            rows.count == 5 && rows[1].hasPrefix("\(fixture.video(22)),1,up,")
                && rows[3].hasPrefix("\(fixture.video(23)),1,down,"))

        let plot = fixture.dir + "/confusion.svg"
        let evaluated = try CLITests.vidact(
            "evaluate", "--model", out, "--data", fixture.manifest, "--workdir", fixture.workdir, "--plot", plot)
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        #expect(evaluated.stdout.contains("split:    test, 4 videos"))
        #expect(evaluated.stdout.contains("accuracy: 1.0000  top-2: 1.0000"), "\(evaluated.stdout)")
        #expect(
            evaluated.stdout.contains(
                "truth \\ predicted  down  up\ndown                  2   0\nup                    0   2"))
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") && svg.contains("<svg") && svg.contains(">down<"))
        let scores = try CLITests.vidact(
            "evaluate", "--model", out, "--data", fixture.manifest, "--workdir", fixture.workdir, "--split", "train",
            "--json")
        let scoreObject = try #require(Self.jsonObject(scores.stdout))
        #expect(scoreObject["videos"] as? Int == 16)
        #expect((scoreObject["accuracy"] as? Double ?? 0) >= 0.9)
    }

    @Test func framesTrainEvaluatePredict() throws {
        let fixture = try SequenceFixture()
        defer { fixture.remove() }
        let out = fixture.dir + "/frames-model"
        let trained = try Self.train(fixture, out: out, ["--task", "frames", "--segments", fixture.segments])
        #expect(trained.status == 0, "\(trained.stderr)")
        let metadata = try SafeTensorsFile(path: out + "/best.safetensors").metadata
        #expect(metadata["task"] == "frames" && metadata["labels"] == "[\"high\",\"low\"]")
        let evaluated = try CLITests.vidact(
            "evaluate", "--model", out, "--data", fixture.manifest, "--workdir", fixture.workdir, "--json")
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let object = try #require(Self.jsonObject(evaluated.stdout))
        #expect(object["task"] as? String == "frames" && object["frames"] as? Int == 8 + 6 + 7 + 8)
        #expect((object["frame_accuracy"] as? Double ?? 0) >= 90)
        #expect((object["f1@50"] as? Double ?? 0) >= 75)
        #expect(object["edit"] is Double && object["f1@10"] is Double && object["f1@25"] is Double)
        let text = try CLITests.vidact(
            "evaluate", "--model", out, "--data", fixture.manifest, "--workdir", fixture.workdir)
        #expect(text.stdout.contains("frame accuracy: ") && text.stdout.contains("F1@50"), "\(text.stdout)")
        let predicted = try CLITests.vidact(
            "predict", "--model", out, fixture.video(20), "--workdir", fixture.workdir, "--format", "csv")
        #expect(predicted.status == 0, "\(predicted.stderr)")
        // v20: 8 frames, low before frame 4 → segments low [0, 4) and high [4, 8).
        let lines = predicted.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines[0] == "video,start,end,label,confidence", "\(predicted.stdout)")
        #expect(lines.count == 3 && lines[1].hasPrefix("\(fixture.video(20)),0.0,4.0,low,"), "\(predicted.stdout)")
        #expect(lines.count == 3 && lines[2].hasPrefix("\(fixture.video(20)),4.0,8.0,high,"), "\(predicted.stdout)")
    }
}
