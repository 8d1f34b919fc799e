// The backbones vidact can run, by the name a user types (`--backbone resnet50`, a pipeline file's
// `backbone:`), with what differs between them: feature width, the input normalisation their
// weights were trained with, where their weights come from, and how to load them.
import Foundation

/// The arithmetic of the CNN: f32 everywhere, or int8 convolutions with calibrated scales
/// (`EfficientNetLite0Int8`, `ResNetInt8`).
public enum Precision: String, CaseIterable, Sendable, Codable {
    case f32
    case int8
}

public enum Backbone: String, CaseIterable, Sendable, Codable {
    case efficientnetLite0 = "efficientnet-lite0"
    case resnet18
    case resnet50

    /// Height and width of the pictures the ImageNet checkpoints take.
    public static let inputSize = 224

    /// D, the width of a feature vector.
    public var featureWidth: Int {
        switch self {
        case .efficientnetLite0: EfficientNetLite0Spec.featureChannels
        case .resnet18: ResNetSpec.resnet18.featureChannels
        case .resnet50: ResNetSpec.resnet50.featureChannels
        }
    }

    /// The normalisation the weights expect: TF-Lite's (x − 127) / 128 for EfficientNet-Lite0
    /// (scripts/fixtures/README-cnn.md), torchvision's ImageNet mean/std for ResNet.
    public var normalization: InputNormalization {
        self == .efficientnetLite0 ? .lite : .imagenet
    }

    /// The file `scripts/fetch-weights` writes into models/, or nil when the user supplies the
    /// weights (ResNet: a torchvision `state_dict` saved as safetensors).
    public var defaultWeightsFile: String? {
        self == .efficientnetLite0 ? "efficientnet_lite0.safetensors" : nil
    }

    /// The ResNet architecture, nil for EfficientNet-Lite0.
    public var resNetSpec: ResNetSpec? {
        switch self {
        case .efficientnetLite0: nil
        case .resnet18: .resnet18
        case .resnet50: .resnet50
        }
    }

    /// Loads the weights at `path` strictly (names and shapes of PyTorch's `state_dict`) and makes
    /// the network; `threads` as in `EfficientNetLite0.init`. A missing file throws
    /// `ClassifierError` naming it; a malformed one the loader's `SafeTensorsError`.
    /// With `precision: .int8`, `calibration` is the scales file (`Int8Calibration`).
    /// Throws `ClassifierError` naming `path`, with what to do, when there is no file there.
    public func requireWeights(at path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            let hint =
                defaultWeightsFile != nil
                ? "run scripts/fetch-weights (scripts/bootstrap does)"
                : "give a torchvision \(rawValue) state_dict saved as safetensors"
            throw ClassifierError(path: path, detail: "not found; \(hint)")
        }
    }

    public func load(
        weights path: String, threads: Int? = nil, precision: Precision = .f32, calibration: String? = nil
    ) throws -> any FeatureExtractor {
        try requireWeights(at: path)
        if precision == .int8 && calibration == nil {
            throw ClassifierError(
                path: path, detail: "int8 needs a calibration file (vidact calibrate --backbone \(rawValue))")
        }
        let scales =
            precision == .int8 ? try calibration.map { try Int8Calibration.load(path: $0, backbone: self) } : nil
        if let spec = resNetSpec {
            let weights = try ResNetWeights(path: path, spec: spec)
            guard let scales else { return try ResNet(weights: weights, threads: threads) }
            return try ResNetInt8(weights: weights, calibration: scales, threads: threads)
        }
        let weights = try EfficientNetLite0Weights(path: path)
        guard let scales else { return try EfficientNetLite0(weights: weights, threads: threads) }
        return try EfficientNetLite0Int8(weights: weights, calibration: scales, threads: threads)
    }
}
