// `vidact score-captions`: text and JSON output from CSVs of raw captions (tokenised by vidact),
// values checked against the TextMetrics scorers on the same tokens, and the errors for a video
// without a hypothesis, a hypothesis without references, and a second hypothesis.
import Foundation
import TestSupport
import Testing

struct ScoreCaptionsCommandTests {
    func write(_ files: [String: String]) throws -> URL {
        let folder = URL(fileURLWithPath: try TemporaryDirectory.make("score-captions"))
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    @Test func printsCorpusAndPerVideoScores() throws {
        let folder = try write([
            "refs.csv": "video,split,caption\na.mp4,train,\"A dog runs, fast.\"\na.mp4,train,a dog is running\n"
                + "b.mp4,test,A man cooks pasta.\nc.mp4,test,a red circle grows\n",
            "hyp.csv": "video,caption\nb.mp4,a man is cooking\na.mp4,A dog runs.\nc.mp4,a red circle grows\n",
        ])
        let references = folder.appendingPathComponent("refs.csv").path
        let hypotheses = folder.appendingPathComponent("hyp.csv").path
        let result = try CLITests.vidact(
            "score-captions", "--references", references, "--hypotheses", hypotheses, "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let bleu = try #require(json["bleu"] as? [Double])
        #expect(bleu.count == 4 && bleu.allSatisfy { $0 > 0 && $0 <= 1 }, "\(json)")
        let perVideo = try #require(json["per_video"] as? [[String: Any]])
        // In reference order; "A dog runs." tokenises to a reference's first three words.
        #expect(perVideo.map { $0["video"] as? String } == ["a.mp4", "b.mp4", "c.mp4"])
        #expect(perVideo[0]["rouge_l"] as? Double ?? 0 > 0.8)
        // An exact match: ROUGE-L 1, BLEU-1 1.
        #expect(abs((perVideo[2]["rouge_l"] as? Double ?? 0) - 1) < 1e-12)
        #expect(abs(((perVideo[2]["bleu"] as? [Double])?.first ?? 0) - 1) < 1e-6)
        #expect(json["cider_d"] is Double && json["rouge_l"] is Double)
        let text = try CLITests.vidact("score-captions", "--references", references, "--hypotheses", hypotheses)
        #expect(text.status == 0 && text.stdout.contains("CIDEr-D: ") && text.stdout.contains("BLEU-4: "))
    }

    @Test func mismatchedVideosAreErrorsNamingThem() throws {
        let folder = try write([
            "refs.csv": "video,caption\na.mp4,a dog runs\nb.mp4,a man cooks\n",
            "missing.csv": "video,caption\na.mp4,a dog\n",
            "extra.csv": "video,caption\na.mp4,a dog\nb.mp4,a man\nz.mp4,a cat\n",
            "twice.csv": "video,caption\na.mp4,a dog\nb.mp4,a man\na.mp4,a cat\n",
        ])
        let references = folder.appendingPathComponent("refs.csv").path
        for (file, message) in [
            ("missing.csv", "video b.mp4 has references in \(references) but no hypothesis here"),
            ("extra.csv", "extra.csv:4: video z.mp4 has no references in \(references)"),
            ("twice.csv", "twice.csv:4: a second hypothesis for a.mp4 (the first is on line 2); give one per video"),
        ] {
            let result = try CLITests.vidact(
                "score-captions", "--references", references, "--hypotheses", folder.appendingPathComponent(file).path)
            #expect(result.status == 1, "\(file): \(result.stdout)")
            #expect(result.stderr.contains(message), "\(file): \(result.stderr)")
        }
    }
}
