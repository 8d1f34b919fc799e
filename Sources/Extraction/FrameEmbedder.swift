// The CNN as the extraction loop sees it: RGB24 pictures in, one feature row per picture out.
// Keeping this a protocol lets the loop be tested with a cheap stand-in and lets new backbones
// plug in without touching the loop.
//
// Shapes: N pictures, each H×W×3 bytes (224×224 for the ImageNet backbones); output [N, D].
import ConvNets
import FeatureStore
import TensorCore

/// Turns pictures into feature rows.
public protocol FrameEmbedder: AnyObject {
    /// The backbone name recorded in the extractor spec (e.g. "efficientnet-lite0").
    var backboneName: String { get }
    /// The input normalisation recorded in the extractor spec.
    var normalizationName: String { get }
    /// The picture size the network takes (width = height).
    var inputSize: Int { get }
    /// Feature rows [N, D] of `pictures` (each inputSize² × 3 bytes, RGB24), pooled as asked.
    func embed(_ pictures: [[UInt8]], pooling: FeaturePooling) throws -> Tensor
}

/// A `ConvNets` backbone (EfficientNet-Lite0, ResNet-18/50) on oneDNN: global average (D), or
/// 2×2 grid × D = 4·D.
public final class BackboneEmbedder: FrameEmbedder {
    public let network: any FeatureExtractor
    public let normalization: InputNormalization
    public var backboneName: String { network.backbone.rawValue }
    public var normalizationName: String { normalization.rawValue }
    public var inputSize: Int { Backbone.inputSize }

    /// Loads `backbone` from `weightsPath`; `normalization` defaults to the backbone's own recipe.
    public init(
        backbone: Backbone, weightsPath: String, normalization: InputNormalization? = nil, threads: Int?,
        precision: CNNPrecision = .f32
    ) throws {
        switch precision {
        case .f32:
            network = try backbone.load(weights: weightsPath, threads: threads)
        case .int8(let calibration, _):
            network = try backbone.load(
                weights: weightsPath, threads: threads, precision: .int8, calibration: calibration)
        }
        self.normalization = normalization ?? backbone.normalization
    }

    public func embed(_ pictures: [[UInt8]], pooling: FeaturePooling) throws -> Tensor {
        let output = try network.forward(rgb24: pictures, normalization: normalization, gridCells: 2)
        switch pooling {
        case .avg: return output.features
        case .grid2:
            // [N, 2, 2, D] row-major is already one row of 4·D per picture.
            return output.grid.reshaped([pictures.count, output.grid.count / pictures.count])
        }
    }
}
