// A trained sequence model as `vidact predict` and `vidact evaluate` use it: the checkpoint
// (`best.safetensors` of a `vidact train` folder, or a checkpoint file), its class names and the
// feature extractor key from `ModelMetadata`, and prediction on feature volumes — top-K classes for
// the clip task, per-frame probabilities and their segments (`PredictedSegments.fromFrames`) for
// the frames task. Features of another extractor key are refused with an error naming both keys.
import Datasets
import FeatureStore
import Foundation
import SafeTensors
import SequenceModels

/// One video's prediction.
public struct VideoPrediction: Sendable {
    /// The argument it was asked for (video or feature file).
    public var source: String
    public var featureFile: String?
    /// Clip task: `[C]` probabilities. Frames task: the mean of the frame probabilities.
    public var probabilities: [Float]
    /// Frames task: `[T][C]`; empty for the clip task.
    public var frameProbabilities: [[Float]]
    /// Frames task: runs of equal argmax; empty for the clip task.
    public var segments: [PredictedSegment]

    /// The `k` most probable classes, best first (ties: lower index first).
    public func top(_ k: Int) -> [(index: Int, probability: Float)] {
        let order = probabilities.indices.sorted { (probabilities[$0], $1) > (probabilities[$1], $0) }
        return order.prefix(k).map { ($0, probabilities[$0]) }
    }
}

/// A loaded model with its metadata.
public struct TrainedModel: Sendable {
    public let path: String
    public let classifier: SequenceClassifier
    public let labelNames: [String]
    public let extractorKey: String
    public let spec: ExtractorSpec?
    public let metadata: [String: String]

    /// Loads `path`: a `vidact train` output folder (its best.safetensors) or a checkpoint file.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let file =
            exists && isDirectory.boolValue ? (path as NSString).appendingPathComponent("best.safetensors") : path
        guard FileManager.default.fileExists(atPath: file) else {
            throw DatasetError(.model, file: file, "no model checkpoint here; train one with `vidact train`")
        }
        classifier = try SequenceClassifier(checkpoint: file)
        metadata = try SafeTensorsFile(path: file).metadata
        guard let labels = ModelMetadata.labelNames(metadata), labels.count == classifier.configuration.classCount
        else {
            throw DatasetError(
                .model, file: file,
                "metadata \"\(ModelMetadata.labels)\" is missing or does not hold "
                    + "\(classifier.configuration.classCount) class names (not a model written by vidact train)")
        }
        guard let key = metadata[ModelMetadata.extractorKey] else {
            throw DatasetError(
                .model, file: file, "metadata \"\(ModelMetadata.extractorKey)\" (the feature extractor key) is missing")
        }
        self.path = file
        labelNames = labels
        extractorKey = key
        spec = metadata[ModelMetadata.extractorSpec].flatMap { try? ExtractorSpec.parse($0) }
    }

    public var task: SequenceTask { classifier.configuration.task }

    /// The volume of a prediction input: a `.safetensors` feature file as is, or a video looked up
    /// in `workdir`'s cache under the model's key. Checks the key.
    public func volume(of input: String, workdir: String) throws -> (volume: FeatureVolume, file: String?) {
        let (volume, file) = try FeatureDataset.volume(ofInput: input, workdir: workdir, key: extractorKey)
        if file != nil { try checkKey(volume.info.spec, source: input) }
        return (volume, file)
    }

    /// Refuses features of another extractor than the model's.
    public func checkKey(_ features: ExtractorSpec, source: String) throws(DatasetError) {
        try FeatureDataset.checkKey(features, source: source, key: extractorKey, trained: spec, modelPath: path)
    }

    /// Predicts one volume.
    public func predict(_ volume: FeatureVolume, source: String, featureFile: String?) throws -> VideoPrediction {
        try checkKey(volume.info.spec, source: source)
        let output = try classifier.predict(
            features: volume.steps(withMotion: classifier.configuration.inputs.usesMotion, source: source))
        let classes = classifier.configuration.classCount
        guard case .frames = task else {
            return VideoPrediction(
                source: source, featureFile: featureFile, probabilities: output.storage, frameProbabilities: [],
                segments: [])
        }
        let frames = (0..<volume.frameCount).map { t in Array(output.storage[t * classes..<(t + 1) * classes]) }
        var mean = [Float](repeating: 0, count: classes)
        for row in frames { for c in 0..<classes { mean[c] += row[c] / Float(frames.count) } }
        return VideoPrediction(
            source: source, featureFile: featureFile, probabilities: mean, frameProbabilities: frames,
            segments: PredictedSegments.fromFrames(probabilities: frames, timestamps: volume.timestamps))
    }
}
