// The caption metrics of a set of videos in one call: BLEU-1…4, ROUGE-L and CIDEr-D, corpus and
// per video, on tokenised captions (`CaptionTokenizer`). Values are raw, as pycocoevalcap returns
// them (BLEU and ROUGE-L in [0, 1], CIDEr-D up to 10·…), not ×100.

/// One video's hypothesis and references.
public struct CaptionPair: Sendable, Hashable {
    public var video: String
    public var hypothesis: String
    public var references: [String]

    public init(video: String, hypothesis: String, references: [String]) {
        self.video = video
        self.hypothesis = hypothesis
        self.references = references
    }
}

/// The metrics of one video (CIDEr-D depends on the whole evaluated set through its idf).
public struct VideoCaptionScores: Sendable, Equatable, Codable {
    public var video: String
    public var bleu: [Double]
    public var rougeL: Double
    public var ciderD: Double

    enum CodingKeys: String, CodingKey {
        case video, bleu
        case rougeL = "rouge_l"
        case ciderD = "cider_d"
    }
}

/// Corpus metrics and each video's.
public struct CaptionScores: Sendable, Equatable, Codable {
    /// Corpus BLEU-1…4 (not the mean of the per-video values).
    public var bleu: [Double]
    public var rougeL: Double
    public var ciderD: Double
    public var perVideo: [VideoCaptionScores]

    enum CodingKeys: String, CodingKey {
        case bleu
        case rougeL = "rouge_l"
        case ciderD = "cider_d"
        case perVideo = "per_video"
    }

    /// Scores `pairs` (tokenised captions; every pair needs at least one reference).
    public init(_ pairs: [CaptionPair]) {
        precondition(pairs.allSatisfy { !$0.references.isEmpty }, "CaptionScores: a video without references")
        let plain = pairs.map { (hypothesis: $0.hypothesis, references: $0.references) }
        let bleu = BLEU.score(plain)
        let rouge = ROUGE.score(plain)
        let cider = CIDEr.score(plain)
        self.bleu = bleu.corpus
        rougeL = rouge.corpus
        ciderD = cider.corpus
        perVideo = pairs.indices.map {
            VideoCaptionScores(
                video: pairs[$0].video, bleu: bleu.perVideo[$0], rougeL: rouge.perVideo[$0],
                ciderD: cider.perVideo[$0])
        }
    }
}
