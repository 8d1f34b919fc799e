// A trained caption model as `vidact predict` and `vidact evaluate` use it: the checkpoint
// (`best.safetensors` of a `vidact train --task caption` folder, or a checkpoint file), its
// vocabulary, decoding defaults and feature extractor key, and captions of feature volumes.
import Datasets
import FeatureStore
import Foundation
import SafeTensors
import SequenceModels
import TensorCore
import TextMetrics

/// One video's caption.
public struct VideoCaption: Sendable {
    public var source: String
    public var caption: String
    public var finished: Bool
    public var logProbability: Double
    /// Attention models: the weights over the frames at each word (and the final <eos>).
    public var attention: [[Float]]?
}

public struct TrainedCaptionModel: Sendable {
    public let path: String
    public let model: CaptionModel
    public let vocabulary: Vocabulary
    public let decoding: CaptionDecoding
    public let extractorKey: String
    public let metadata: [String: String]

    /// Whether the checkpoint at `path` (a folder or file) is a caption model.
    public static func isCaptionModel(_ path: String) -> Bool {
        guard let file = try? SafeTensorsFile(path: checkpoint(path)) else { return false }
        return file.metadata["format"] == CaptionModel.checkpointFormat
    }

    static func checkpoint(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? (path as NSString).appendingPathComponent("best.safetensors") : path
    }

    public init(path: String) throws {
        let file = Self.checkpoint(path)
        guard FileManager.default.fileExists(atPath: file) else {
            throw DatasetError(
                .model, file: file, "no model checkpoint here; train one with `vidact train --task caption`")
        }
        model = try CaptionModel(checkpoint: file)
        metadata = try SafeTensorsFile(path: file).metadata
        guard let words = metadata[CaptionTraining.vocabularyKey],
            let vocabulary = try? JSONDecoder().decode(Vocabulary.self, from: Data(words.utf8)),
            vocabulary.count == model.configuration.vocabularySize
        else {
            throw DatasetError(
                .model, file: file, "metadata \"vocabulary\" is missing or does not match the model's vocabulary size")
        }
        guard let key = metadata[ModelMetadata.extractorKey] else {
            throw DatasetError(.model, file: file, "metadata \"\(ModelMetadata.extractorKey)\" is missing")
        }
        self.path = file
        self.vocabulary = vocabulary
        extractorKey = key
        decoding =
            metadata[CaptionTraining.decodingKey].flatMap {
                try? JSONDecoder().decode(CaptionDecoding.self, from: Data($0.utf8))
            } ?? CaptionDecoding()
    }

    /// The features of `input`: a feature file as is, or a video from `workdir`'s cache, checked
    /// to be of the model's extractor key.
    public func features(of input: String, workdir: String) throws -> Tensor {
        let (volume, file) = try FeatureDataset.volume(ofInput: input, workdir: workdir, key: extractorKey)
        if file != nil {
            try FeatureDataset.checkKey(
                volume.info.spec, source: input, key: extractorKey,
                trained: metadata[ModelMetadata.extractorSpec].flatMap { try? ExtractorSpec.parse($0) }, modelPath: path
            )
        }
        return volume.features
    }

    /// The caption of `features` `[T, D]`.
    public func caption(_ features: Tensor, source: String, decoding: CaptionDecoding? = nil) throws -> VideoCaption {
        let decoded = try model.caption(features: features, decoding: decoding ?? self.decoding)
        return VideoCaption(
            source: source, caption: vocabulary.decode(decoded.words).joined(separator: " "),
            finished: decoded.finished, logProbability: decoded.logProbability, attention: decoded.attention)
    }
}
