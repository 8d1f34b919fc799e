// EfficientNet-Lite0 inference on oneDNN. BatchNorm is folded into the convolutions at load; for
// each batch size a `Plan` creates every primitive once (oneDNN chooses the layouts, weights are
// reordered once), and is reused for every batch of that size. Activations stay in oneDNN's
// blocked layout from the stem to the head; residual adds are fused into the project convolution
// as a `sum` post-op that writes over the block input; where oneDNN has a JIT kernel for it, a 3x3
// depthwise convolution runs fused into its expand convolution (a `.depthwise` post-op), so the
// widest maps never go to memory. Only the network input is reordered in and
// only the final 7x7x1280 map is reordered out; pooling and the classifier run on that small map.
// The naive twin is `NaiveEfficientNet`; both are checked against PyTorch.
//
// Shapes: N batch; input [N, 3, 224, 224]; map [N, 1280, 7, 7]; features [N, 1280];
// grid [N, 2, 2, 1280] (row, column, channel); logits [N, 1000].
import DNNL
import TensorCore

public final class EfficientNetLite0 {
    public let weights: EfficientNetLite0Weights
    private let engine: Engine
    private let stream: DNNL.Stream
    private var plans: [Int: EfficientNetPlan] = [:]

    /// - Parameter threads: oneDNN threads for work started from this thread (OpenMP), nil for
    ///   the runtime's default (one per core, or OMP_NUM_THREADS).
    public init(weights: EfficientNetLite0Weights, threads: Int? = nil) throws {
        if let threads { DNNLRuntime.setThreadCount(threads) }
        self.weights = weights
        engine = try Engine()
        stream = try DNNL.Stream(engine: engine)
    }

    /// Runs the network on `input` ([N, 3, 224, 224], normalised).
    public func forward(_ input: Tensor, gridCells: Int = 2) throws -> BackboneOutput {
        try Self.forward(input, weights: weights, gridCells: gridCells, name: "EfficientNetLite0") { slice in
            let count = slice.shape[0]
            let plan = try plans[count] ?? EfficientNetPlan(weights: weights, batch: count, stream: stream)
            plans[count] = plan
            return try plan.run(slice, stream: stream)
        }
    }

    /// The forward pass both precisions share: checks the input, runs `pass` (one plan's final
    /// map, channels-last) at most `maxBatch` images at a time, and pools and classifies the map.
    static func forward(
        _ input: Tensor, weights: EfficientNetLite0Weights, gridCells: Int, name: String,
        maxBatch: Int = maxPassBatch, pass: (Tensor) throws -> Tensor
    ) throws -> BackboneOutput {
        let size = EfficientNetLite0Spec.inputSize
        precondition(
            input.rank == 4 && Array(input.shape[1...]) == [3, size, size],
            "\(name).forward: input \(input.shape), expected [N, 3, \(size), \(size)]")
        let map = try forwardInPasses(input, maxBatch: maxBatch, pass)
        return BackboneOutput(
            channelsLastMap: map, classifierWeight: weights.classifierWeight, bias: weights.classifierBias,
            gridCells: gridCells)
    }

    /// Per channel, the largest |value| and the sum of the values, of the input and of every
    /// convolution's output before the head (stem; per block expand, depthwise, project — the
    /// project's including the residual), over `input` ([N, 3, 224, 224], normalised), folded into
    /// `statistics` (start with an empty one): what `Int8Calibration` stores.
    public func channelStatistics(_ input: Tensor, into statistics: inout ChannelStatistics) throws {
        var found = statistics
        var unfused: [Int: EfficientNetPlan] = [:]
        found.add(0, input)
        _ = try forwardInPasses(input, maxBatch: Self.maxPassBatch) { slice in
            let count = slice.shape[0]
            let plan =
                try unfused[count]
                ?? EfficientNetPlan(weights: weights, batch: count, stream: stream, fuseDepthwise: false)
            unfused[count] = plan
            return try plan.run(slice, stream: self.stream) { layer, output in
                found.add(layer + 1, try output.tensor(stream: self.stream))
            }
        }
        statistics = found
    }

    /// Images run through the network in one pass; larger batches are split. Measured with
    /// `vidact cnn-bench` on the 2-core AVX2 machine before the depthwise fusion: 1 → 90, 2 → 101,
    /// 4 → 122, 8 → 56 and 16 → 67 images/s; past 4 the early activations no longer fit in cache.
    /// With the fusion (the widest maps no longer go to memory), `--batch 16`, medians of 7 runs on
    /// a noisy shared VM: 2 → 81, 4 → 87, 8 → 91 images/s (single runs 71–112), so 4 and 8 are
    /// within the noise; 4 stays, as it needs half the activation memory.
    public static let maxPassBatch = 4
}

extension EfficientNetLite0: FeatureExtractor {
    public var backbone: Backbone { .efficientnetLite0 }
    public var featureWidth: Int { EfficientNetLite0Spec.featureChannels }
}

/// The primitives and activation buffers of the network for one batch size, made once and reused by
/// every forward pass of that size (no allocation on the hot path).
final class EfficientNetPlan {
    private struct Block {
        /// The expand convolution; when `depthwise` is nil it has the depthwise fused in, and its
        /// output is the depthwise output.
        var expand: (layer: Convolution, output: Memory)?
        var depthwise: (layer: Convolution, output: Memory)?
        /// The project convolution's own output; nil for a residual block, whose fused sum writes over
        /// the block input.
        var project: (layer: Convolution, output: Memory?)
    }

    private let input: Memory
    private let stem: (layer: Convolution, output: Memory)
    private let blocks: [Block]
    private let head: (layer: Convolution, output: Memory)

    /// `fuseDepthwise: false` keeps every convolution's output in memory (calibration observes them).
    init(weights: EfficientNetLite0Weights, batch: Int, stream: DNNL.Stream, fuseDepthwise: Bool = true) throws {
        let size = EfficientNetLite0Spec.inputSize
        let stemLayer = try weights.stem.makeConvolution(
            source: MemoryDescriptor(shape: [batch, 3, size, size]), stream: stream)
        input = try Memory(descriptor: stemLayer.sourceDescriptor, engine: stream.engine)
        stem = (stemLayer, try stemLayer.makeDestination())
        var current = stemLayer.destinationDescriptor
        var blocks: [Block] = []
        for block in weights.blocks {
            let (expand, depthwise) = try Self.makeFront(
                of: block, source: current, fuse: fuseDepthwise, stream: stream)
            guard let front = depthwise ?? expand else {
                preconditionFailure("EfficientNetLite0: makeFront gave neither an expand nor a depthwise layer")
            }
            let residual = block.spec.hasResidual
            // The residual add writes over the block input, so it keeps the input's layout.
            let project = try block.project.makeConvolution(
                source: front.destinationDescriptor, stream: stream,
                residualInto: residual ? current : nil)
            blocks.append(
                Block(
                    expand: try expand.map { ($0, try $0.makeDestination()) },
                    depthwise: try depthwise.map { ($0, try $0.makeDestination()) },
                    project: (project, residual ? nil : try project.makeDestination())))
            current = project.destinationDescriptor
        }
        self.blocks = blocks
        let headLayer = try weights.head.makeConvolution(source: current, stream: stream)
        head = (headLayer, try headLayer.makeDestination())
    }

    /// The expand and depthwise convolutions of `block`, or the two fused into the expand (then the
    /// depthwise is nil). oneDNN fuses a 3x3 depthwise into a 1x1 convolution on AVX2 only when the
    /// expanded map is larger than twice the L2 caches of its threads (at batch 4 on this machine:
    /// blocks 1, 2 and 6) and says `unimplemented` otherwise; a fusion it would run with its
    /// reference kernel instead of a JIT one is not taken either.
    private static func makeFront(
        of block: MBConvWeights, source: MemoryDescriptor, fuse: Bool, stream: DNNL.Stream
    ) throws -> (expand: Convolution?, depthwise: Convolution?) {
        guard let expand = block.expand else {
            return (nil, try block.depthwise.makeConvolution(source: source, stream: stream))
        }
        if fuse, block.spec.kernel == 3,
            let fusion = expand.depthwisePostOp(block.depthwise, inputSize: source.shape[2])
        {
            do {
                let fused = try expand.makeConvolution(
                    fusing: block.depthwise, as: fusion, source: source, stream: stream)
                if fused.implementationName.hasPrefix("jit") { return (fused, nil) }
            } catch let error as DNNLError where error.status == .unimplemented {}
        }
        let layer = try expand.makeConvolution(source: source, stream: stream)
        return (layer, try block.depthwise.makeConvolution(source: layer.destinationDescriptor, stream: stream))
    }

    /// The final map, channels-last [N, 7, 7, 1280], for a normalised input. `observe`, when given, sees the
    /// output of every convolution before the head, in order (stem; per block expand, depthwise,
    /// project — a fused expand + depthwise counts once, so calibration builds the plan unfused).
    func run(
        _ tensor: Tensor, stream: DNNL.Stream, observe: ((_ layer: Int, _ output: Memory) throws -> Void)? = nil
    ) throws -> Tensor {
        var layer = 0
        func seen(_ output: Memory) throws {
            try observe?(layer, output)
            layer += 1
        }
        input.write(tensor)
        try stem.layer.execute(source: input, destination: stem.output, stream: stream)
        try seen(stem.output)
        var x = stem.output
        for block in blocks {
            var y = x
            if let expand = block.expand {
                try expand.layer.execute(source: x, destination: expand.output, stream: stream)
                try seen(expand.output)
                y = expand.output
            }
            if let depthwise = block.depthwise {
                try depthwise.layer.execute(source: y, destination: depthwise.output, stream: stream)
                try seen(depthwise.output)
                y = depthwise.output
            }
            // A residual block's fused sum adds the projection to its input, x, in place.
            let output = block.project.output ?? x
            try block.project.layer.execute(source: y, destination: output, stream: stream)
            x = output
            try seen(output)
        }
        try head.layer.execute(source: x, destination: head.output, stream: stream)
        return try head.output.channelsLastTensor(stream: stream)
    }
}

/// Per-channel statistics of a network's tensors (index 0: the input; then each convolution's
/// output in order) over calibration pictures: the largest |value| and the mean.
public struct ChannelStatistics: Sendable {
    public private(set) var largest: [[Float]] = []
    private var sums: [[Double]] = []
    private var counts: [Int] = []

    public init() {}

    /// Per tensor, per channel, the mean value.
    public var means: [[Float]] {
        zip(sums, counts).map { sums, count in sums.map { Float($0 / Double(max(count, 1))) } }
    }

    /// Folds in `values` ([N, C, H, W]) as tensor `index`.
    mutating func add(_ index: Int, _ values: Tensor) {
        let (n, c) = (values.shape[0], values.shape[1])
        let plane = values.count / max(n * c, 1)
        if index == largest.count {
            largest.append([Float](repeating: 0, count: c))
            sums.append([Double](repeating: 0, count: c))
            counts.append(0)
        }
        values.withUnsafeBufferPointer { v in
            for image in 0..<n {
                for channel in 0..<c {
                    let start = (image * c + channel) * plane
                    var sum = 0.0
                    var top = largest[index][channel]
                    for p in start..<(start + plane) {
                        top = max(top, abs(v[p]))
                        sum += Double(v[p])
                    }
                    largest[index][channel] = top
                    sums[index][channel] += sum
                }
            }
        }
        counts[index] += n * plane
    }
}
