// `vidact train --task caption`, `predict` and `evaluate` end to end on the tiny cached workdir of
// `SequenceFixture` (no CNN): captions say whether dimension 0 ramps up or down, which only frame
// order tells. S2VT learns it (with scheduled sampling 0.2); predict prints a caption per video in three formats; evaluate
// prints BLEU/ROUGE-L/CIDEr-D and its JSON records the settings; `--frame-order reversed` flips
// what the model says; a caption file naming a video that is not cached is an error naming it.
import Foundation
import SafeTensors
import SequenceFixtures
import TestSupport
import Testing

struct CaptionCommandsTests {
    static func captions(_ fixture: SequenceFixture) throws -> String {
        var lines = ["video,split,caption"]
        for i in 0..<fixture.count {
            let name = "clips/" + (fixture.video(i) as NSString).lastPathComponent
            let words =
                fixture.label(i) == "up" ? ["it goes up", "the value rises"] : ["it goes down", "the value falls"]
            for caption in words { lines.append("\(name),\(fixture.split(i)),\(caption)") }
        }
        let path = fixture.dir + "/captions.csv"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func trainPredictEvaluate() throws {
        let fixture = try SequenceFixture()
        defer { fixture.remove() }
        let captions = try Self.captions(fixture)
        let out = fixture.dir + "/model"
        let trained = try CLITests.vidact(
            "train", "--task", "caption", "--data", captions, "--workdir", fixture.workdir, "--out", out, "--epochs",
            "30", "--batch", "8", "--lr", "0.03", "--hidden", "16", "--projection", "8", "--embedding", "8",
            "--schedule", "constant", "--max-words", "5", "--scheduled-sampling", "0.2")
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(
            trained.stderr.contains("16 train videos (32 captions), 4 val videos, vocabulary 12 words"),
            "\(trained.stderr)")
        let metadata = try SafeTensorsFile(path: out + "/best.safetensors").metadata
        #expect(metadata["task"] == "caption" && metadata["format"] == "vidact-caption-model")
        #expect(metadata["model"]?.contains("\"scheduledSampling\":0.2") == true, "\(metadata["model"] ?? "")")
        #expect(metadata["vocabulary"]?.contains("\"<pad>\",\"<bos>\",\"<eos>\",\"<unk>\"") == true)

        let csv = try CLITests.vidact(
            "predict", "--model", out, fixture.video(20), fixture.video(21), "--workdir", fixture.workdir, "--format",
            "csv")
        #expect(csv.status == 0, "\(csv.stderr)")
        let rows = csv.stdout.split(separator: "\n")
        #expect(rows.first == "video,caption,log_probability,finished")
        // Video 20 ramps up, 21 down: the caption must name the direction.
        #expect(rows.count == 3 && rows[1].contains(" up") || rows[1].contains("rises"), "\(csv.stdout)")
        #expect(rows.count == 3 && rows[2].contains(" down") || rows[2].contains("falls"), "\(csv.stdout)")
        let json = try CLITests.vidact(
            "predict", "--model", out, fixture.video(22), "--workdir", fixture.workdir, "--format", "json", "--beam",
            "3")
        #expect(json.status == 0 && json.stdout.contains("\"caption\":"), "\(json.stdout) \(json.stderr)")

        let evaluation = try CLITests.vidact(
            "evaluate", "--model", out, "--data", captions, "--workdir", fixture.workdir, "--json")
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: evaluation.stdoutData) as? [String: Any])
        let bleu = try #require(object["bleu"] as? [Double])
        #expect(bleu.count == 4 && bleu[0] > 0.6, "\(object)")
        #expect((object["rouge_l"] as? Double ?? 0) > 0.6, "\(object)")
        let settings = try #require(object["settings"] as? [String: Any])
        #expect(settings["tokenizer"] as? String == "ptb-lowercase-v1")
        #expect((settings["references_sha256"] as? String)?.count == 64)
        #expect((object["per_video"] as? [[String: Any]])?.count == 4)

        // Reversed frames: the up videos are described as going down, so the scores drop.
        let reversed = try CLITests.vidact(
            "evaluate", "--model", out, "--data", captions, "--workdir", fixture.workdir, "--json", "--frame-order",
            "reversed")
        let flipped = try #require(try JSONSerialization.jsonObject(with: reversed.stdoutData) as? [String: Any])
        #expect((flipped["rouge_l"] as? Double ?? 1) < (object["rouge_l"] as? Double ?? 0), "\(flipped)")
        let text = try CLITests.vidact("evaluate", "--model", out, "--data", captions, "--workdir", fixture.workdir)
        #expect(text.stdout.contains("CIDEr-D: ") && text.stdout.contains("BLEU-4: "), "\(text.stdout)")
    }

    @Test func uncachedVideoIsAnErrorNamingIt() throws {
        let fixture = try SequenceFixture(cached: { $0 != 3 })
        defer { fixture.remove() }
        let result = try CLITests.vidact(
            "train", "--task", "caption", "--data", try Self.captions(fixture), "--workdir", fixture.workdir, "--out",
            fixture.dir + "/m", "--epochs", "1")
        #expect(result.status == 1, "\(result.stdout)")
        #expect(
            result.stderr.contains("v03.mp4") && result.stderr.contains("vidact features extract"), "\(result.stderr)")
    }
}
