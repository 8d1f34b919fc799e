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

/// EfficientNet-Lite0 on oneDNN: 1280-d global average, or 2×2 grid × 1280 = 5120-d.
public final class EfficientNetEmbedder: FrameEmbedder {
    public let network: EfficientNetLite0
    public let normalization: InputNormalization
    public var backboneName: String { "efficientnet-lite0" }
    public var normalizationName: String { normalization.rawValue }
    public var inputSize: Int { EfficientNetLite0Spec.inputSize }

    public init(weightsPath: String, normalization: InputNormalization, threads: Int?) throws {
        network = try EfficientNetLite0(weights: EfficientNetLite0Weights(path: weightsPath), threads: threads)
        self.normalization = normalization
    }

    public func embed(_ pictures: [[UInt8]], pooling: FeaturePooling) throws -> Tensor {
        let output = try network.forward(normalization.tensor(from: pictures, height: inputSize, width: inputSize))
        switch pooling {
        case .avg: return output.features
        case .grid2:
            // [N, 2, 2, C] row-major is already one row of 4·C per picture.
            return output.grid.reshaped([pictures.count, output.grid.count / pictures.count])
        }
    }
}
