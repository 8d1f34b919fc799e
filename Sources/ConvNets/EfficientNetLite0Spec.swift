// The architecture of EfficientNet-Lite0 as its PyTorch state_dict names map to it (see
// scripts/fixtures/README-cnn.md): a 3x3 stride-2 stem, 16 MBConv blocks (expand 1x1, depthwise
// k×k, project 1x1; ReLU6; residual when stride 1 and in == out), a 1x1 head to 1280 channels,
// global average pooling and a 1280→1000 classifier. Padding is TensorFlow "SAME", computed for a
// 224x224 input, which is asymmetric at stride 2.
import TensorCore

/// One MBConv block of EfficientNet-Lite0.
public struct MBConvSpec: Sendable, Equatable {
    public var input: Int
    public var output: Int
    /// Channels after the expand convolution (equal to `input` when there is none).
    public var expanded: Int
    public var kernel: Int
    public var stride: Int

    public var hasExpansion: Bool { expanded != input }
    public var hasResidual: Bool { stride == 1 && input == output }
}

public enum EfficientNetLite0Spec {
    public static let inputSize = 224
    public static let stemChannels = 32
    public static let featureChannels = 1280
    public static let classes = 1000
    /// BatchNorm epsilon of the TensorFlow checkpoint the weights come from.
    public static let batchNormEpsilon: Float = 1e-3

    /// (repeats, kernel, stride of the first repeat, expand ratio, output channels) per stage.
    static let stages: [(repeats: Int, kernel: Int, stride: Int, expand: Int, output: Int)] = [
        (1, 3, 1, 1, 16), (2, 3, 2, 6, 24), (2, 5, 2, 6, 40), (3, 3, 2, 6, 80), (3, 5, 1, 6, 112),
        (4, 5, 2, 6, 192), (1, 3, 1, 6, 320),
    ]

    /// The 16 blocks in order.
    public static let blocks: [MBConvSpec] = {
        var result: [MBConvSpec] = []
        var channels = stemChannels
        for stage in stages {
            for repeat_ in 0..<stage.repeats {
                result.append(
                    MBConvSpec(
                        input: channels, output: stage.output, expanded: channels * stage.expand, kernel: stage.kernel,
                        stride: repeat_ == 0 ? stage.stride : 1))
                channels = stage.output
            }
        }
        return result
    }()

    /// TensorFlow "SAME" padding of one axis: total = max((ceil(i/s) - 1)·s + k - i, 0), split
    /// with the smaller half before.
    public static func samePadding(input: Int, kernel: Int, stride: Int) -> (before: Int, after: Int) {
        let outputSize = (input + stride - 1) / stride
        let total = max((outputSize - 1) * stride + kernel - input, 0)
        return (total / 2, total - total / 2)
    }

    /// The geometry of a k×k convolution with SAME padding on a square `input`.
    public static func sameGeometry(input: Int, kernel: Int, stride: Int, groups: Int = 1) -> Conv2DGeometry {
        let pad = samePadding(input: input, kernel: kernel, stride: stride)
        return Conv2DGeometry(
            strideH: stride, strideW: stride, padTop: pad.before, padBottom: pad.after, padLeft: pad.before,
            padRight: pad.after, groups: groups)
    }
}
