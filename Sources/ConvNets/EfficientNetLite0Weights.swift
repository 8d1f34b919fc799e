// Loads EfficientNet-Lite0 from a safetensors file with PyTorch state_dict names, strictly: every
// tensor is looked up by name with its expected shape, every tensor of the file must be used, and
// each BatchNorm is folded into the convolution before it.
import SafeTensors
import TensorCore

/// One MBConv block with its BatchNorms folded.
public struct MBConvWeights: Sendable {
    public var spec: MBConvSpec
    public var expand: FoldedConvolution?
    public var depthwise: FoldedConvolution
    public var project: FoldedConvolution
}

/// All inference weights of EfficientNet-Lite0.
public struct EfficientNetLite0Weights: Sendable {
    public var stem: FoldedConvolution
    public var blocks: [MBConvWeights]
    public var head: FoldedConvolution
    /// [1000, 1280] and [1000].
    public var classifierWeight: Tensor
    public var classifierBias: Tensor

    public init(path: String) throws {
        try self.init(loader: WeightLoader(path: path))
    }

    public init(loader: WeightLoader) throws {
        typealias Spec = EfficientNetLite0Spec
        let root = loader.scope("")
        var size = Spec.inputSize
        stem = try Self.conv(
            root, "_conv_stem", bn: "_bn0", shape: [Spec.stemChannels, 3, 3, 3],
            geometry: Spec.sameGeometry(input: size, kernel: 3, stride: 2), activation: .relu6)
        size = (size + 1) / 2
        var blocks: [MBConvWeights] = []
        for (index, spec) in Spec.blocks.enumerated() {
            let scope = root.scope("_blocks.\(index)")
            var expand: FoldedConvolution?
            if spec.hasExpansion {
                expand = try Self.conv(
                    scope, "_expand_conv", bn: "_bn0", shape: [spec.expanded, spec.input, 1, 1],
                    geometry: Conv2DGeometry(), activation: .relu6)
            }
            let depthwise = try Self.conv(
                scope, "_depthwise_conv", bn: "_bn1", shape: [spec.expanded, 1, spec.kernel, spec.kernel],
                geometry: Spec.sameGeometry(
                    input: size, kernel: spec.kernel, stride: spec.stride, groups: spec.expanded),
                activation: .relu6)
            size = (size + spec.stride - 1) / spec.stride
            let project = try Self.conv(
                scope, "_project_conv", bn: "_bn2", shape: [spec.output, spec.expanded, 1, 1],
                geometry: Conv2DGeometry(), activation: .none)
            blocks.append(MBConvWeights(spec: spec, expand: expand, depthwise: depthwise, project: project))
        }
        self.blocks = blocks
        let last = Spec.blocks[Spec.blocks.count - 1].output
        head = try Self.conv(
            root, "_conv_head", bn: "_bn1", shape: [Spec.featureChannels, last, 1, 1], geometry: Conv2DGeometry(),
            activation: .relu6)
        classifierWeight = try root.tensor("_fc.weight", shape: [Spec.classes, Spec.featureChannels])
        classifierBias = try root.tensor("_fc.bias", shape: [Spec.classes])
        // Training-only counters are not in vidact's converted file; tolerate them if present.
        try loader.checkAllConsumed { $0.hasSuffix("num_batches_tracked") }
    }

    private static func conv(
        _ scope: WeightScope, _ name: String, bn: String, shape: [Int], geometry: Conv2DGeometry,
        activation: FoldedConvolution.Activation
    ) throws -> FoldedConvolution {
        let weight = try scope.tensor("\(name).weight", shape: shape)
        let o = [shape[0]]
        let statistics = BatchNormStatistics(
            gamma: try scope.tensor("\(bn).weight", shape: o), beta: try scope.tensor("\(bn).bias", shape: o),
            mean: try scope.tensor("\(bn).running_mean", shape: o),
            variance: try scope.tensor("\(bn).running_var", shape: o))
        return FoldedConvolution(
            weight: weight, batchNorm: statistics, epsilon: EfficientNetLite0Spec.batchNormEpsilon, geometry: geometry,
            activation: activation)
    }
}
