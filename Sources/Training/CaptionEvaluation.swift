// `vidact evaluate` on a caption model: captions for one split of a caption file, scored against
// its references with BLEU-1…4, ROUGE-L and CIDEr-D (`CaptionScores`, equal to pycocoevalcap's)
// and, when the references are sentences of the synthetic grammar, by event (`EventCaptionScores`:
// exact match, slots, order accuracy on pairs). `frameOrder` reverses or shuffles each
// video's frames first: how much the scores drop says how much the model uses frame order.
// The settings that decide the scores are recorded: tokeniser, decoding, frame order and a SHA-256
// of the references (CIDEr-D's idf depends on the evaluated set, so per-video values do too).
import Datasets
import FeatureStore
import Foundation
import SequenceModels
import TensorCore
import TextMetrics

/// The frame order an evaluation feeds the model.
public enum FrameOrder: String, Sendable, CaseIterable, Codable {
    case original, reversed, shuffled
}

/// Scores of a caption model on one split.
public struct CaptionEvaluationReport: Sendable {
    public var model: String
    public var split: ManifestSplit
    public var hypotheses: [VideoCaption]
    public var scores: CaptionScores
    public var events: EventCaptionScores?
    public var decoding: CaptionDecoding
    public var frameOrder: FrameOrder
    /// SHA-256 of the evaluated references (video and tokenised caption per line).
    public var referencesSHA256: String
}

public enum CaptionEvaluation {
    public static func run(
        model path: String, captions: String, workdir: String, split: ManifestSplit,
        decoding: CaptionDecoding? = nil, frameOrder: FrameOrder = .original
    ) throws -> CaptionEvaluationReport {
        try run(
            model: TrainedCaptionModel(path: path), captions: captions, workdir: workdir, split: split,
            decoding: decoding, frameOrder: frameOrder)
    }

    /// As `run(model:…)` with the model already loaded.
    public static func run(
        model trained: TrainedCaptionModel, captions: String, workdir: String, split: ManifestSplit,
        decoding: CaptionDecoding? = nil, frameOrder: FrameOrder = .original
    ) throws -> CaptionEvaluationReport {
        let table = try CaptionTable.load(path: captions, splits: true)
        let rows = table.rows.filter { $0.split == split }
        guard !rows.isEmpty else {
            throw DatasetError(.captions, file: captions, "no captions with split \(split.rawValue)")
        }
        var order: [String] = []
        var references: [String: [String]] = [:]
        var written: [String: String] = [:]
        for row in rows {
            if references[row.path] == nil {
                order.append(row.path)
                written[row.path] = row.video
            }
            references[row.path, default: []].append(CaptionTokenizer.normalize(row.caption))
        }
        let settings = decoding ?? trained.decoding
        var hypotheses: [VideoCaption] = []
        var pairs: [CaptionPair] = []
        for (index, path) in order.enumerated() {
            let video = written[path] ?? path
            let features = reorder(try trained.features(of: path, workdir: workdir), frameOrder, seed: UInt64(index))
            let caption = try trained.caption(features, source: video, decoding: settings)
            hypotheses.append(caption)
            pairs.append(
                CaptionPair(
                    video: video, hypothesis: CaptionTokenizer.normalize(caption.caption),
                    references: references[path] ?? []))
        }
        let digestText = pairs.map { "\($0.video)\t\($0.references.joined(separator: "\t"))" }.joined(separator: "\n")
        return CaptionEvaluationReport(
            model: trained.path, split: split, hypotheses: hypotheses, scores: CaptionScores(pairs),
            events: EventCaptionScores(pairs.map { (hypothesis: $0.hypothesis, references: $0.references) }),
            decoding: settings, frameOrder: frameOrder, referencesSHA256: ContentHash.sha256(text: digestText))
    }

    /// `features` `[T, D]` with its frames in `order` (shuffled with a seeded permutation).
    static func reorder(_ features: Tensor, _ order: FrameOrder, seed: UInt64) -> Tensor {
        let (frames, width) = (features.shape[0], features.shape[1])
        var permutation = Array(0..<frames)
        switch order {
        case .original: return features
        case .reversed: permutation.reverse()
        case .shuffled:
            var rng = SeededRNG(seed: seed &+ 0x5EED)
            for i in stride(from: frames - 1, to: 0, by: -1) { permutation.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        }
        var values: [Float] = []
        values.reserveCapacity(features.count)
        for t in permutation { values += features.storage[(t * width)..<((t + 1) * width)] }
        return Tensor(shape: features.shape, storage: values)
    }
}
