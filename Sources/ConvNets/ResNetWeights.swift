// Loads ResNet-18/50 from a safetensors file with torchvision's state_dict names, strictly: every
// tensor is looked up by name with its expected shape, every tensor of the file must be used
// (BatchNorm's `num_batches_tracked` training counters excepted), and each BatchNorm is folded
// into the convolution before it (ε 1e-5).
import SafeTensors
import TensorCore

/// One residual block with its BatchNorms folded.
public struct ResNetBlockWeights: Sendable {
    public var spec: ResNetBlockSpec
    /// conv1, conv2[, conv3]; all but the last end in ReLU; the last has no activation (its ReLU
    /// follows the residual add).
    public var convolutions: [FoldedConvolution]
    /// downsample.0 + downsample.1, when the block has that shortcut.
    public var downsample: FoldedConvolution?
}

/// All inference weights of a ResNet.
public struct ResNetWeights: Sendable {
    public var spec: ResNetSpec
    /// conv1 + bn1, then ReLU.
    public var stem: FoldedConvolution
    /// `layer1` … `layer4`.
    public var stages: [[ResNetBlockWeights]]
    /// fc: [1000, D] and [1000].
    public var classifierWeight: Tensor
    public var classifierBias: Tensor

    /// The backbone these weights are for.
    public var backbone: Backbone { spec.bottleneck ? .resnet50 : .resnet18 }

    public init(path: String, spec: ResNetSpec) throws {
        try self.init(loader: WeightLoader(path: path), spec: spec)
    }

    public init(loader: WeightLoader, spec: ResNetSpec) throws {
        let root = loader.scope("")
        self.spec = spec
        stem = try Self.convolution(
            root, conv: "conv1", bn: "bn1", shape: [ResNetSpec.stemChannels, 3, 7, 7],
            geometry: ResNetSpec.stemGeometry, activation: .relu)
        stages = try spec.stages.enumerated().map { stage, blocks in
            try blocks.enumerated().map { index, block in
                try Self.block(root.scope("layer\(stage + 1).\(index)"), spec: block)
            }
        }
        let d = spec.featureChannels
        classifierWeight = try root.tensor("fc.weight", shape: [ResNetSpec.classes, d])
        classifierBias = try root.tensor("fc.bias", shape: [ResNetSpec.classes])
        try loader.checkAllConsumed { $0.hasSuffix(".num_batches_tracked") }
    }

    private static func block(_ scope: WeightScope, spec: ResNetBlockSpec) throws -> ResNetBlockWeights {
        let shapes = spec.convolutions
        let convolutions = try shapes.enumerated().map { j, conv in
            try convolution(
                scope, conv: "conv\(j + 1)", bn: "bn\(j + 1)",
                shape: [conv.output, conv.input, conv.kernel, conv.kernel],
                geometry: Conv2DGeometry(stride: conv.stride, padding: conv.kernel / 2),
                activation: j == shapes.count - 1 ? .none : .relu)
        }
        let downsample =
            spec.hasDownsample
            ? try convolution(
                scope, conv: "downsample.0", bn: "downsample.1", shape: [spec.output, spec.input, 1, 1],
                geometry: Conv2DGeometry(stride: spec.stride), activation: .none)
            : nil
        return ResNetBlockWeights(spec: spec, convolutions: convolutions, downsample: downsample)
    }

    private static func convolution(
        _ scope: WeightScope, conv: String, bn: String, shape: [Int], geometry: Conv2DGeometry,
        activation: FoldedConvolution.Activation
    ) throws -> FoldedConvolution {
        let o = [shape[0]]
        let statistics = BatchNormStatistics(
            gamma: try scope.tensor("\(bn).weight", shape: o), beta: try scope.tensor("\(bn).bias", shape: o),
            mean: try scope.tensor("\(bn).running_mean", shape: o),
            variance: try scope.tensor("\(bn).running_var", shape: o))
        return FoldedConvolution(
            weight: try scope.tensor("\(conv).weight", shape: shape), batchNorm: statistics,
            epsilon: ResNetSpec.batchNormEpsilon, geometry: geometry, activation: activation)
    }
}
