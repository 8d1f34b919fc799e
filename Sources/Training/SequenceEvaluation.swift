// `vidact evaluate` as a library call: a trained model on one split of a manifest, features from
// the workdir's cache under the model's extractor key. Clip task: `ClipMetrics` (accuracy, top-k,
// per-class precision/recall/F1, confusion matrix). Frames task: per-frame argmax against the
// labels of the segments file (the one given, else the one recorded at training), scored by
// `FrameMetrics` (frame accuracy, edit score, F1@{10,25,50} as MS-TCN's eval.py). Manifest labels
// are mapped through the model's class names; a label the model does not know is an error.
import Datasets
import FeatureStore
import Foundation
import SequenceModels

/// What to evaluate.
public struct EvaluationRequest: Sendable {
    public var model: String
    public var manifest: String
    public var workdir: String
    public var split: ManifestSplit
    /// Frames task: the segments CSV; nil to use the one the model was trained with.
    public var segments: String?
    /// k of the clip task's top-k accuracy.
    public var topK: Int

    public init(
        model: String, manifest: String, workdir: String, split: ManifestSplit = .test, segments: String? = nil,
        topK: Int = 5
    ) {
        self.model = model
        self.manifest = manifest
        self.workdir = workdir
        self.split = split
        self.segments = segments
        self.topK = topK
    }
}

/// The scores of one evaluation.
public struct EvaluationReport: Sendable {
    public enum Scores: Sendable {
        case clip(ClipMetrics)
        case frames(FrameMetrics)
    }

    public var model: TrainedModel
    public var split: ManifestSplit
    public var videoCount: Int
    public var scores: Scores
}

public enum SequenceEvaluation {
    public static func run(_ request: EvaluationRequest) throws -> EvaluationReport {
        let model = try TrainedModel(path: request.model)
        let manifest = try Manifest.load(path: request.manifest)
        let rows = manifest.entries(request.split)
        guard !rows.isEmpty else {
            throw DatasetError(.manifest, file: request.manifest, "no rows with split \(request.split.rawValue)")
        }
        let dataset = FeatureDataset(
            workdir: request.workdir, key: model.extractorKey,
            withMotion: model.classifier.configuration.inputs.usesMotion)
        let scores: EvaluationReport.Scores
        switch model.task {
        case .clip:
            let examples = try dataset.clipExamples(rows, labelNames: model.labelNames)
            let probabilities = try examples.map { try model.classifier.predict(features: $0.features).storage }
            scores = .clip(
                ClipMetrics.compute(
                    probabilities: probabilities, labels: Self.labels(examples, \.clipLabel),
                    classCount: model.labelNames.count, topK: request.topK))
        case .frames:
            guard let path = request.segments ?? model.metadata[ModelMetadata.segments] else {
                throw DatasetError(.segments, "the frames task needs a segments file (--segments FILE)")
            }
            let segments = try FrameSegments.load(path: path)
            let examples = try dataset.frameExamples(rows, segments: segments, labelNames: model.labelNames)
            let predicted = try examples.map { example in
                let output = try model.classifier.predict(features: example.features)
                let classes = model.labelNames.count
                return (0..<example.length).map { t in
                    PredictedSegments.argmax(Array(output.storage[t * classes..<(t + 1) * classes]))
                }
            }
            scores = .frames(FrameMetrics.compute(predicted: predicted, truth: Self.labels(examples, \.frameLabels)))
        }
        try dataset.finish()
        return EvaluationReport(model: model, split: request.split, videoCount: rows.count, scores: scores)
    }

    /// The labels of examples that `FeatureDataset` built with them (clip or frame labels).
    static func labels<Label>(_ examples: [SequenceExample], _ key: KeyPath<SequenceExample, Label?>) -> [Label] {
        examples.map { example in
            guard let label = example[keyPath: key] else {
                preconditionFailure("SequenceEvaluation: FeatureDataset gave an example without its labels")
            }
            return label
        }
    }
}
