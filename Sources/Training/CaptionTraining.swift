// `vidact train --task caption` as a library call: a caption file (`CaptionTable`: video, split,
// caption) + the workdir's cache → tokenised captions (`CaptionTokenizer`) → a vocabulary from
// the training captions (words seen at least `minimumCount` times) → one example per (video,
// reference caption) → `CaptionModel` → `Trainer`. Train rows train; val rows validate (word
// accuracy, teacher-forced); test rows are left for evaluation. The checkpoint metadata gets the
// vocabulary, the decoding defaults, the extractor key and spec and the caption file.
import Basics
import Datasets
import FeatureStore
import Foundation
import SequenceModels
import TensorCore
import TextMetrics

/// The caption model's shape and text settings.
public struct CaptionModelShape: Sendable, Equatable {
    public var architecture: CaptionArchitecture
    public var projectionSize: Int
    public var hiddenSize: Int
    public var embeddingSize: Int
    public var inputs: SequenceInputs
    public var labelSmoothing: Float
    /// Words kept per caption (longer ones are cut; the model then learns <eos> after them).
    public var maxWords: Int
    /// Training words seen fewer times map to <unk>.
    public var minimumCount: Int
    public var decoding: CaptionDecoding
    public var seed: UInt64
    /// Attention: the attention layer's width (nil: the hidden size).
    public var attentionSize: Int?
    /// Dropout on the frame inputs while training.
    public var inputDropout: Float
    /// Scheduled sampling probability while training (0: teacher forcing).
    public var scheduledSampling: Float

    public init(
        architecture: CaptionArchitecture = .s2vt, projectionSize: Int = 256, hiddenSize: Int = 256,
        embeddingSize: Int = 128, inputs: SequenceInputs = .features, labelSmoothing: Float = 0, maxWords: Int = 20,
        minimumCount: Int = 1, decoding: CaptionDecoding = CaptionDecoding(), seed: UInt64 = 0,
        attentionSize: Int? = nil, inputDropout: Float = 0, scheduledSampling: Float = 0
    ) {
        self.attentionSize = attentionSize
        self.inputDropout = inputDropout
        self.scheduledSampling = scheduledSampling
        self.architecture = architecture
        self.projectionSize = projectionSize
        self.hiddenSize = hiddenSize
        self.embeddingSize = embeddingSize
        self.inputs = inputs
        self.labelSmoothing = labelSmoothing
        self.maxWords = maxWords
        self.minimumCount = minimumCount
        self.decoding = decoding
        self.seed = seed
    }
}

/// What a caption training run saw before it started.
public struct CaptionTrainingStart: Sendable {
    public var trainVideos: Int
    public var validationVideos: Int
    public var trainCaptions: Int
    public var vocabularySize: Int
    public var coverage: VocabularyCoverage
    /// Rows skipped for an empty caption.
    public var emptyCaptions: Int
    public var extractorKey: String
}

public enum CaptionTraining {
    public static let vocabularyKey = "vocabulary"
    public static let decodingKey = "decoding"
    public static let captionsKey = "captions"
    public static let tokenizerKey = "tokenizer"

    /// Trains as the arguments say; `onEpoch` sees each new log row. Returns the log.
    public static func run(
        captions: String, workdir: String, extractorKey: String?, shape: CaptionModelShape,
        training: TrainerConfiguration, outputFolder: String, onStart: (CaptionTrainingStart) -> Void = { _ in },
        onEpoch: (TrainingLogRow) -> Void = { _ in }
    ) throws -> [TrainingLogRow] {
        guard !shape.inputs.usesMotion else {
            throw DatasetError(
                .captions, "caption models read features, differences or both; motion inputs are not supported yet")
        }
        let table = try CaptionTable.load(path: captions, splits: true)
        let key = try FeatureDataset.chooseKey(workdir: workdir, requested: extractorKey)
        let dataset = FeatureDataset(workdir: workdir, key: key)
        let trainRows = table.rows.filter { $0.split == .train }
        guard !trainRows.isEmpty else { throw DatasetError(.captions, file: captions, "no captions with split train") }
        // Tokenised once: the vocabulary and its coverage figures read the same words.
        let trainTokens = trainRows.map { CaptionTokenizer.tokens($0.caption) }
        let vocabulary = Vocabulary(captions: trainTokens, minimumCount: shape.minimumCount)
        let train = try examples(trainRows, dataset: dataset, vocabulary: vocabulary, maxWords: shape.maxWords)
        let validation = try examples(
            table.rows.filter { $0.split == .val }, dataset: dataset, vocabulary: vocabulary, maxWords: shape.maxWords)
        try dataset.finish()
        let configuration = CaptionModelConfiguration(
            architecture: shape.architecture, inputSize: train[0].features.shape[1],
            projectionSize: shape.projectionSize, hiddenSize: shape.hiddenSize, embeddingSize: shape.embeddingSize,
            vocabularySize: vocabulary.count, labelSmoothing: shape.labelSmoothing, inputs: shape.inputs,
            attentionSize: shape.attentionSize, inputDropout: shape.inputDropout,
            scheduledSampling: shape.scheduledSampling)
        var metadata = [
            vocabularyKey: CanonicalJSON.string(of: vocabulary), decodingKey: CanonicalJSON.string(of: shape.decoding),
            captionsKey: captions, tokenizerKey: CaptionTokenizer.version, ModelMetadata.extractorKey: key,
        ]
        if let spec = dataset.spec { metadata[ModelMetadata.extractorSpec] = spec.canonicalJSON }
        let trainer = try Trainer(
            model: CaptionModel(configuration: configuration, seed: shape.seed), configuration: training,
            train: train, validation: validation, outputFolder: outputFolder, metadata: metadata)
        let videos = { (split: ManifestSplit) in Set(table.rows.filter { $0.split == split }.map(\.path)).count }
        onStart(
            CaptionTrainingStart(
                trainVideos: videos(.train), validationVideos: videos(.val), trainCaptions: trainRows.count,
                vocabularySize: vocabulary.count,
                coverage: VocabularyCoverage(
                    vocabulary, captions: trainTokens,
                    maxLength: shape.maxWords), emptyCaptions: table.emptyCaptionLines.count, extractorKey: key))
        var reported = 0
        for epoch in 1...training.epochs {
            let reached = try trainer.run(stopAfterEpoch: epoch)
            for row in trainer.log.dropFirst(reported) { onEpoch(row) }
            reported = trainer.log.count
            if reached < epoch { break }
        }
        return trainer.log
    }

    /// One example per caption row: the video's features and the caption's ids (cut, then <eos>).
    static func examples(
        _ rows: [CaptionRow], dataset: FeatureDataset, vocabulary: Vocabulary, maxWords: Int
    ) throws -> [CaptionExample] {
        var features: [String: Tensor] = [:]
        return try rows.map { row in
            let volume: Tensor
            if let cached = features[row.path] {
                volume = cached
            } else {
                volume = try dataset.volume(ofVideo: row.path).features
                features[row.path] = volume
            }
            let ids = vocabulary.encode(CaptionTokenizer.tokens(row.caption), maxLength: maxWords)
            return CaptionExample(features: volume, words: ids)
        }
    }
}
