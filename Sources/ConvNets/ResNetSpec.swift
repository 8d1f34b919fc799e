// The architecture of torchvision's ResNet-18 and ResNet-50 ("ResNet v1.5") as their state_dict
// names map to it: a 7x7 stride-2 stem `conv1`/`bn1` + ReLU, a 3x3 stride-2 max pool (padding 1),
// four stages `layer1`…`layer4` of residual blocks (64, 128, 256, 512 channels wide; the first
// block of stages 2–4 has stride 2), a global average pool and `fc`. A basic block (ResNet-18) is
// two 3x3 convolutions; a bottleneck (ResNet-50) is 1x1, 3x3 (with the stride), 1x1 to 4x the
// width. A block whose stride or channel count changes has a `downsample` shortcut (1x1 conv with
// the stride, then BN); the others add their input. Each convolution is followed by a BatchNorm
// (ε 1e-5) and ReLU, except the block's last, whose ReLU comes after the residual add.
import TensorCore

/// One residual block.
public struct ResNetBlockSpec: Sendable, Equatable {
    /// Input channels.
    public var input: Int
    /// Channels inside the block ("planes").
    public var width: Int
    /// Output channels: width (basic) or 4 x width (bottleneck).
    public var output: Int
    public var stride: Int
    public var bottleneck: Bool

    public var hasDownsample: Bool { stride != 1 || input != output }

    /// (output, input, kernel, stride) of conv1, conv2[, conv3], in order.
    public var convolutions: [(output: Int, input: Int, kernel: Int, stride: Int)] {
        bottleneck
            ? [(width, input, 1, 1), (width, width, 3, stride), (output, width, 1, 1)]
            : [(width, input, 3, stride), (width, width, 3, 1)]
    }
}

public struct ResNetSpec: Sendable, Equatable {
    /// Blocks per stage.
    public var depths: [Int]
    public var bottleneck: Bool

    public static let resnet18 = ResNetSpec(depths: [2, 2, 2, 2], bottleneck: false)
    public static let resnet50 = ResNetSpec(depths: [3, 4, 6, 3], bottleneck: true)

    public static let stemChannels = 64
    public static let classes = 1000
    /// torchvision's BatchNorm2d default.
    public static let batchNormEpsilon: Float = 1e-5
    /// conv1: 7x7, stride 2, padding 3.
    public static let stemGeometry = Conv2DGeometry(stride: 2, padding: 3)
    /// maxpool: 3x3, stride 2, padding 1.
    public static let poolGeometry = Pool2DGeometry(kernel: 3, stride: 2, padding: 1)

    public var expansion: Int { bottleneck ? 4 : 1 }
    /// D: 512 (ResNet-18) or 2048 (ResNet-50).
    public var featureChannels: Int { 512 * expansion }

    /// The blocks of each stage, named `layer<stage + 1>.<index>` in the state_dict.
    public var stages: [[ResNetBlockSpec]] {
        var channels = Self.stemChannels
        return depths.enumerated().map { stage, depth in
            let width = 64 << stage
            return (0..<depth).map { index in
                let block = ResNetBlockSpec(
                    input: channels, width: width, output: width * expansion,
                    stride: stage > 0 && index == 0 ? 2 : 1, bottleneck: bottleneck)
                channels = block.output
                return block
            }
        }
    }
}
