// `vidact score-captions --references R.csv --hypotheses H.csv [--json]`: BLEU-1…4, ROUGE-L and
// CIDEr-D of captions from any tool (`CaptionScoring`), equal to pycocoevalcap 1.2's scorers.
import ArgumentParser
import Foundation
import TextMetrics
import Training

struct ScoreCaptionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score-captions",
        abstract: "Score captions against references: BLEU-1..4, ROUGE-L, CIDEr-D.",
        discussion: """
            Both files are CSVs with the header video,caption (a split column in the references is allowed
            and ignored, so a caption dataset file serves as references): several reference rows per video,
            one hypothesis row per video. Videos are matched as written. Captions are tokenised as the
            COCO-caption evaluation does (lowercase, Penn Treebank clitics, punctuation dropped). Values are
            raw, as pycocoevalcap returns them (not x100). CIDEr-D's idf is computed over the scored set, so
            a video's CIDEr-D depends on the other videos scored with it.
            """)

    @Option(help: "Reference captions CSV (video,caption; several rows per video).") var references: String
    @Option(help: "Hypothesis captions CSV (video,caption; one row per video).") var hypotheses: String
    @Flag(help: "Print the scores as one JSON object.") var json = false

    mutating func run() throws {
        let scores = try CaptionScoring.run(references: references, hypotheses: hypotheses)
        if json {
            print(JSONLine.encode(Self.json(scores)))
            return
        }
        print("videos:  \(scores.perVideo.count)")
        for (k, value) in scores.bleu.enumerated() { print("BLEU-\(k + 1):  \(String(format: "%.4f", value))") }
        print("ROUGE-L: \(String(format: "%.4f", scores.rougeL))")
        print("CIDEr-D: \(String(format: "%.4f", scores.ciderD))")
    }

    static func json(_ scores: CaptionScores) -> [String: Any] {
        [
            "bleu": scores.bleu, "rouge_l": scores.rougeL, "cider_d": scores.ciderD, "videos": scores.perVideo.count,
            "tokenizer": CaptionTokenizer.version,
            "per_video": scores.perVideo.map {
                ["video": $0.video, "bleu": $0.bleu, "rouge_l": $0.rougeL, "cider_d": $0.ciderD] as [String: Any]
            },
            "per_video_note": "cider_d per video depends on the evaluated set (its idf)",
        ]
    }
}
