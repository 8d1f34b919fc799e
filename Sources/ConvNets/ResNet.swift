// ResNet-18/50 inference on oneDNN. BatchNorm is folded into the convolutions at load; for each
// batch shape (N, H, W) a `ResNetPlan` creates every primitive once (oneDNN chooses the layouts
// with `any`, weights are reordered once) and keeps its activation buffers, reused by every
// forward pass of that shape. Activations stay in oneDNN's blocked layout from the stem to the
// last block. Each block's residual add and the ReLU after it are fused into its last
// convolution as `sum` + `relu` post-ops writing over the shortcut: the block input itself, or
// the downsample convolution's output, made in the layout the last convolution writes. Only the
// input is reordered in and the final map out; pooling and `fc` run on that map
// (`BackboneOutput`). The naive twin is `NaiveResNet`; both are checked against PyTorch.
//
// Shapes: N batch; input [N, 3, H, W] (224x224 for ImageNet); map [N, D, H/32, W/32] (7x7);
// features [N, D] with D = 512 (ResNet-18) or 2048 (ResNet-50); grid [N, g, g, D]; logits [N, 1000].
import DNNL
import TensorCore

public final class ResNet {
    public let weights: ResNetWeights
    private let engine: Engine
    private let stream: DNNL.Stream
    private var plans: [[Int]: ResNetPlan] = [:]

    /// - Parameter threads: oneDNN threads for work started from this thread (OpenMP), nil for
    ///   the runtime's default (one per core, or OMP_NUM_THREADS).
    public init(weights: ResNetWeights, threads: Int? = nil) throws {
        if let threads { DNNLRuntime.setThreadCount(threads) }
        self.weights = weights
        engine = try Engine()
        stream = try DNNL.Stream(engine: engine)
    }

    /// Images per pass, as for EfficientNet-Lite0 (`EfficientNetLite0.maxPassBatch`).
    public static let maxPassBatch = 4

    /// Runs the network on `input` ([N, 3, H, W], normalised; H and W at least 32).
    public func forward(_ input: Tensor, gridCells: Int = 2) throws -> BackboneOutput {
        try Self.forward(input, weights: weights, gridCells: gridCells, name: "ResNet") { slice in
            let plan = try plans[slice.shape] ?? ResNetPlan(weights: weights, shape: slice.shape, stream: stream)
            plans[slice.shape] = plan
            return try plan.run(slice, stream: stream)
        }
    }

    /// What the f32 and int8 networks share: the input check, the passes of at most
    /// `maxPassBatch` images through `map` (a plan's final map), and pooling and `fc` on the result.
    static func forward(
        _ input: Tensor, weights: ResNetWeights, gridCells: Int, name: String, maxBatch: Int = maxPassBatch,
        map: (Tensor) throws -> Tensor
    ) throws -> BackboneOutput {
        precondition(
            input.rank == 4 && input.shape[1] == 3 && input.shape[2] >= 32 && input.shape[3] >= 32,
            "\(name).forward: input \(input.shape), expected [N, 3, H, W] with H, W >= 32")
        return BackboneOutput(
            channelsLastMap: try forwardInPasses(input, maxBatch: maxBatch, map),
            classifierWeight: weights.classifierWeight,
            bias: weights.classifierBias, gridCells: gridCells)
    }

    /// Folds the calibration statistics of `input` into `statistics` (`Int8Calibration`): the
    /// input's channel means, then per channel the largest |value| and the mean of every tensor
    /// `ResNetInt8Scheme` quantises, in its order (the stem output; per block the output of each
    /// convolution but the last, the downsample output, the block output).
    public func channelStatistics(_ input: Tensor, into statistics: inout ChannelStatistics) throws {
        var found = statistics
        found.add(0, input)
        _ = try forwardInPasses(input, maxBatch: Self.maxPassBatch) { slice in
            let plan = try plans[slice.shape] ?? ResNetPlan(weights: weights, shape: slice.shape, stream: stream)
            plans[slice.shape] = plan
            return try plan.run(slice, stream: stream) { index, output in
                found.add(index + 1, try output.tensor(stream: self.stream))
            }
        }
        statistics = found
    }
}

extension ResNet: FeatureExtractor {
    public var backbone: Backbone { weights.backbone }
    public var featureWidth: Int { weights.spec.featureChannels }
}

/// The primitives and activation buffers of the network for one input shape, made once and reused
/// by every forward pass of that shape.
final class ResNetPlan {
    private struct Block {
        /// conv1[, conv2] with their outputs (ReLU fused).
        var inner: [(layer: Convolution, output: Memory)]
        /// The downsample shortcut; nil when the block adds its input.
        var downsample: (layer: Convolution, output: Memory)?
        /// The last convolution: + shortcut, ReLU, written over the shortcut memory.
        var last: Convolution
    }

    private let input: Memory
    private let stem: (layer: Convolution, output: Memory)
    private let pool: (layer: Pooling, output: Memory)
    private let blocks: [Block]

    init(weights: ResNetWeights, shape: [Int], stream: DNNL.Stream) throws {
        let stemLayer = try weights.stem.makeConvolution(source: MemoryDescriptor(shape: shape), stream: stream)
        input = try Memory(descriptor: stemLayer.sourceDescriptor, engine: stream.engine)
        stem = (stemLayer, try stemLayer.makeDestination())
        let poolLayer = try Pooling(
            source: stemLayer.destinationDescriptor, kind: .max, geometry: ResNetSpec.poolGeometry,
            engine: stream.engine)
        pool = (poolLayer, try poolLayer.makeDestination())
        var current = poolLayer.destinationDescriptor
        var blocks: [Block] = []
        for block in weights.stages.joined() {
            guard let lastConvolution = block.convolutions.last else {
                preconditionFailure("ResNet: a block without convolutions (ResNetWeights loads two or three)")
            }
            var inner: [(layer: Convolution, output: Memory)] = []
            var source = current
            for conv in block.convolutions.dropLast() {
                let layer = try conv.makeConvolution(source: source, stream: stream)
                inner.append((layer, try layer.makeDestination()))
                source = layer.destinationDescriptor
            }
            let downsample = try block.downsample.map { try $0.makeConvolution(source: current, stream: stream) }
            // The sum writes over the shortcut, so the last convolution keeps the shortcut's layout.
            let last = try lastConvolution.makeConvolution(
                source: source, stream: stream,
                residualInto: downsample?.destinationDescriptor ?? current, afterSum: [.relu])
            blocks.append(
                Block(inner: inner, downsample: try downsample.map { ($0, try $0.makeDestination()) }, last: last))
            current = last.destinationDescriptor
        }
        self.blocks = blocks
    }

    /// The final map, channels-last [N, H/32, W/32, D], for a normalised input. `observe`, when given, sees the
    /// tensors calibration measures, numbered in order, each before anything overwrites it.
    func run(
        _ tensor: Tensor, stream: DNNL.Stream, observe: ((Int, Memory) throws -> Void)? = nil
    ) throws -> Tensor {
        var observed = 0
        func show(_ memory: Memory) throws {
            try observe?(observed, memory)
            observed += 1
        }
        input.write(tensor)
        try stem.layer.execute(source: input, destination: stem.output, stream: stream)
        try show(stem.output)
        try pool.layer.execute(source: stem.output, destination: pool.output, stream: stream)
        var x = pool.output
        for block in blocks {
            var y = x
            for conv in block.inner {
                try conv.layer.execute(source: y, destination: conv.output, stream: stream)
                try show(conv.output)
                y = conv.output
            }
            var shortcut = x
            if let downsample = block.downsample {
                try downsample.layer.execute(source: x, destination: downsample.output, stream: stream)
                try show(downsample.output)
                shortcut = downsample.output
            }
            // relu(conv(y) + shortcut), written over the shortcut: the block's output.
            try block.last.execute(source: y, destination: shortcut, stream: stream)
            try show(shortcut)
            x = shortcut
        }
        return try x.channelsLastTensor(stream: stream)
    }
}
