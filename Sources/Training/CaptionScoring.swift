// `vidact score-captions` as a library call: references and hypotheses from caption CSVs
// (`CaptionTable`, columns video,caption; a split column in the references is allowed and
// ignored, so a caption dataset file serves as references), paired by the video as written,
// tokenised with `CaptionTokenizer` and scored with `CaptionScores`. Every video needs references
// and exactly one hypothesis; a mismatch is an error naming the video, its file and line.
import Datasets
import Foundation
import TextMetrics

public enum CaptionScoring {
    /// Scores the hypotheses in `hypotheses` against the references in `references`.
    public static func run(references: String, hypotheses: String) throws -> CaptionScores {
        let referenceTable = try CaptionTable.load(path: references, splits: false)
        let hypothesisTable = try CaptionTable.load(path: hypotheses, splits: false)
        return try score(references: referenceTable, hypotheses: hypothesisTable)
    }

    public static func score(
        references: CaptionTable, hypotheses: CaptionTable
    ) throws(DatasetError)
        -> CaptionScores
    {
        if let line = hypotheses.emptyCaptionLines.first {
            throw DatasetError(
                .captions, file: hypotheses.file, line: line,
                "empty hypothesis; every video needs one caption (write the model's output, even if short)")
        }
        var hypothesisOf: [String: CaptionRow] = [:]
        for row in hypotheses.rows {
            if let first = hypothesisOf[row.video] {
                throw DatasetError(
                    .captions, file: hypotheses.file, line: row.line,
                    "a second hypothesis for \(row.video) (the first is on line \(first.line)); give one per video")
            }
            hypothesisOf[row.video] = row
        }
        let referenceSets = references.captionsByVideo
        let referenced = Set(referenceSets.map(\.video))
        if let orphan = hypotheses.rows.first(where: { !referenced.contains($0.video) }) {
            throw DatasetError(
                .captions, file: hypotheses.file, line: orphan.line,
                "video \(orphan.video) has no references in \(references.file)")
        }
        guard !referenceSets.isEmpty else {
            throw DatasetError(.captions, file: references.file, "no reference captions")
        }
        var pairs: [CaptionPair] = []
        for (video, captions) in referenceSets {
            guard let hypothesis = hypothesisOf[video] else {
                throw DatasetError(
                    .captions, file: hypotheses.file,
                    "video \(video) has references in \(references.file) but no hypothesis here")
            }
            pairs.append(
                CaptionPair(
                    video: video, hypothesis: CaptionTokenizer.normalize(hypothesis.caption),
                    references: captions.map(CaptionTokenizer.normalize)))
        }
        return CaptionScores(pairs)
    }
}
