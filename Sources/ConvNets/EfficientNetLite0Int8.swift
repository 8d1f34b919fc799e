// EfficientNet-Lite0 in int8 on oneDNN: the network EfficientNet-Lite was designed to be for
// integer inference (no squeeze-excite, ReLU6). Weights are quantised per output channel
// (symmetric, 127 / max |w[o]| after BatchNorm folding); activations per tensor:
// - the input, (x − 127) / 128, is the s8 value x − 127 exactly (scale 128);
// - every ReLU6 output (stem, expand, depthwise) is u8 in [0, 127] with scale 127 / min(6, range),
//   the range measured by calibration (`Int8Calibration`), and the ReLU6 is a clip post-op in the
//   destination's units. 7 bits, not 8: on CPUs without VNNI oneDNN multiplies u8 by s8 with
//   vpmaddubsw, whose pairwise sums saturate at 32767 — 2 · 255 · 127 would, 2 · 127 · 127 does not
//   (measured on the real photos: feature cosine with f32 0.95 with 8 bits, 0.96–0.997 with 7;
//   PyTorch's fbgemm "reduce_range" is the same remedy);
// - each MBConv block's output (the linear projection, plus the block input for a residual block)
//   is s8 with scale 127 / range; the blocks of one residual chain share one scale (the largest
//   range), because each residual add is fused into the project convolution as a `sum` post-op
//   writing over the block input (in place, so in the same units);
// - the head's 1x1 + ReLU6 writes f32 (dequantised in its output scales), and pooling and the
//   classifier run on that f32 map exactly as in `EfficientNetLite0`.
// Every convolution accumulates in s32 and requantises in its output scales: (acc + bias) ×
// S_out / (S_in · s_w[o]), with the bias given in accumulator units (bias · S_in · s_w[o]).
// The twin of each layer is `Naive.quantizedConv2d` (`NaiveEfficientNetInt8` chains them).
//
// Shapes as `EfficientNetLite0`: input [N, 3, 224, 224]; map [N, 1280, 7, 7].
import DNNL
import TensorCore

public final class EfficientNetLite0Int8 {
    public let weights: EfficientNetLite0Weights
    public let calibration: Int8Calibration
    let scheme: Int8Scheme
    private let engine: Engine
    private let stream: DNNL.Stream
    private var plans: [Int: EfficientNetInt8Plan] = [:]

    public init(weights: EfficientNetLite0Weights, calibration: Int8Calibration, threads: Int? = nil) throws {
        if let threads { DNNLRuntime.setThreadCount(threads) }
        precondition(
            calibration.backbone == .efficientnetLite0, "EfficientNetLite0Int8: a \(calibration.backbone) calibration")
        self.weights = weights
        self.calibration = calibration
        scheme = Int8Scheme(weights: weights, calibration: calibration)
        engine = try Engine()
        stream = try DNNL.Stream(engine: engine)
    }

    /// Runs the network on `input` ([N, 3, 224, 224], normalised with `InputNormalization.lite`).
    public func forward(_ input: Tensor, gridCells: Int = 2) throws -> BackboneOutput {
        let size = EfficientNetLite0Spec.inputSize
        precondition(
            input.rank == 4 && Array(input.shape[1...]) == [3, size, size],
            "EfficientNetLite0Int8.forward: input \(input.shape), expected [N, 3, \(size), \(size)]")
        let map = try forwardInPasses(input, maxBatch: EfficientNetLite0.maxPassBatch) { slice in
            let count = slice.shape[0]
            let plan = try plans[count] ?? EfficientNetInt8Plan(scheme: scheme, batch: count, stream: stream)
            plans[count] = plan
            return try plan.run(slice, stream: stream)
        }
        return BackboneOutput(
            map: map, classifierWeight: weights.classifierWeight, bias: weights.classifierBias, gridCells: gridCells)
    }

    /// The implementation oneDNN chose for each convolution, in order (stem, blocks, head), for
    /// benchmarks and the note on which kernels ran.
    public func implementations(batch: Int = 1) throws -> [String] {
        try EfficientNetInt8Plan(scheme: scheme, batch: batch, stream: stream).implementations
    }
}

extension EfficientNetLite0Int8: FeatureExtractor {
    public var backbone: Backbone { .efficientnetLite0 }
    public var featureWidth: Int { EfficientNetLite0Spec.featureChannels }
}

/// The scales of every quantised tensor, shared by the oneDNN plan and the naive twin.
struct Int8Scheme {
    /// One quantised convolution: its folded weights and what it reads and writes.
    struct Layer {
        var convolution: FoldedConvolution
        var source: Naive.IntegerType
        var sourceScale: Float
        /// nil: f32 destination.
        var destination: Naive.IntegerType?
        var destinationScale: Float
        var residual: Bool

        /// 127 / max |w[o]| per output channel (1 for an all-zero channel).
        var weightScales: [Float] {
            let weight = convolution.weight
            let perChannel = weight.count / weight.shape[0]
            return (0..<weight.shape[0]).map { o in
                let largest = weight.storage[(o * perChannel)..<((o + 1) * perChannel)].map(abs).max() ?? 0
                return largest > 0 ? 127 / largest : 1
            }
        }

        var outputScales: [Float] { weightScales.map { destinationScale / (sourceScale * $0) } }

        /// The bias in accumulator units.
        var accumulatorBias: Tensor {
            let scales = weightScales
            var bias = convolution.bias
            for o in 0..<bias.count { bias[flat: o] *= sourceScale * scales[o] }
            return bias
        }

        /// ReLU6 as a clip in the destination's units (at most 127, the 7-bit range; a calibrated
        /// range under 6 clips there); nothing for a linear layer. The head (f32) clips at 6.
        var clip: ClosedRange<Float>? {
            guard convolution.activation == .relu6 else { return nil }
            return 0...(destination == nil ? 6 : min(6 * destinationScale, 127))
        }
    }

    struct Block {
        var expand: Layer?
        var depthwise: Layer
        var project: Layer
    }

    static let inputScale: Float = 128

    /// How many convolutions `Int8Calibration.layerRanges` covers: the stem, then per block the
    /// expand (when the block has one), the depthwise and the project.
    static let calibratedLayers = 1 + EfficientNetLite0Spec.blocks.reduce(0) { $0 + ($1.hasExpansion ? 3 : 2) }

    /// The scale of a ReLU6 output whose calibrated range is `range`: [0, min(6, range)] onto
    /// [0, 127].
    static func reluScale(_ range: Float) -> Float { 127 / min(6, max(range, 1e-3)) }

    var stem: Layer
    var blocks: [Block]
    var head: Layer

    init(weights: EfficientNetLite0Weights, calibration: Int8Calibration) {
        // One scale per residual chain: a block without a residual starts a chain.
        var chainOf: [Int] = []
        for (index, block) in weights.blocks.enumerated() {
            chainOf.append(block.spec.hasResidual ? chainOf[index - 1] : index)
        }
        // The ranges in network order, and each block's project range.
        var ranges = calibration.layerRanges.makeIterator()
        func next() -> Float { ranges.next() ?? 6 }
        let stemScale = Self.reluScale(next())
        var layerRanges: [(expand: Float?, depthwise: Float, project: Float)] = []
        for block in weights.blocks {
            let expand = block.expand == nil ? nil : next()
            layerRanges.append((expand, next(), next()))
        }
        var chainRange: [Int: Float] = [:]
        for (index, range) in layerRanges.enumerated() {
            chainRange[chainOf[index]] = max(chainRange[chainOf[index]] ?? 0, range.project)
        }
        stem = Layer(
            convolution: weights.stem, source: .s8, sourceScale: Self.inputScale, destination: .u8,
            destinationScale: stemScale, residual: false)
        var input: (type: Naive.IntegerType, scale: Float) = (.u8, stemScale)
        var blocks: [Block] = []
        for (index, block) in weights.blocks.enumerated() {
            let outputScale = 127 / (chainRange[chainOf[index]] ?? 1)
            let expandScale = Self.reluScale(layerRanges[index].expand ?? 6)
            let expand = block.expand.map {
                Layer(
                    convolution: $0, source: input.type, sourceScale: input.scale, destination: .u8,
                    destinationScale: expandScale, residual: false)
            }
            let front: (type: Naive.IntegerType, scale: Float) = expand == nil ? input : (.u8, expandScale)
            let depthwiseScale = Self.reluScale(layerRanges[index].depthwise)
            let depthwise = Layer(
                convolution: block.depthwise, source: front.type, sourceScale: front.scale, destination: .u8,
                destinationScale: depthwiseScale, residual: false)
            let project = Layer(
                convolution: block.project, source: .u8, sourceScale: depthwiseScale, destination: .s8,
                destinationScale: outputScale, residual: block.spec.hasResidual)
            blocks.append(Block(expand: expand, depthwise: depthwise, project: project))
            input = (.s8, outputScale)
        }
        self.blocks = blocks
        head = Layer(
            convolution: weights.head, source: input.type, sourceScale: input.scale, destination: nil,
            destinationScale: 1, residual: false)
    }
}

extension Naive.IntegerType {
    var dataType: MemoryDescriptor.DataType { self == .u8 ? .u8 : .s8 }
}

extension Int8Scheme.Layer {
    /// The oneDNN convolution of this layer for `source` (its layout fixed or `.any`); a residual
    /// layer writes over its block input, described by `residualInto`.
    func makeConvolution(
        source: MemoryDescriptor, residualInto: MemoryDescriptor? = nil, stream: DNNL.Stream
    ) throws -> Convolution {
        precondition(residual == (residualInto != nil), "Int8Scheme: a residual layer needs its block input")
        var postOps: [PostOp] = clip.map { [.clip(lower: $0.lowerBound, upper: $0.upperBound)] } ?? []
        if residual { postOps.append(.sum(scale: 1)) }
        return try Convolution(
            source: source, weight: convolution.weight, bias: accumulatorBias, geometry: convolution.geometry,
            postOps: postOps, destination: residualInto,
            quantization: ConvolutionQuantization(
                source: self.source.dataType, destination: destination?.dataType ?? .f32, weightScales: weightScales,
                outputScales: outputScales),
            stream: stream)
    }

    /// The naive twin of this layer on integer `input` (and, for a residual layer, the block input).
    func naiveForward(_ input: Tensor, residual: Tensor? = nil) -> Tensor {
        Naive.quantizedConv2d(
            input, weight: convolution.weight, weightScales: weightScales, bias: accumulatorBias,
            outputScales: outputScales, geometry: convolution.geometry, clip: clip, residual: residual.map { ($0, 1) },
            destination: destination)
    }
}

/// The int8 primitives and buffers for one batch size.
final class EfficientNetInt8Plan {
    private struct Block {
        var expand: (layer: Convolution, output: Memory)?
        var depthwise: (layer: Convolution, output: Memory)
        var project: (layer: Convolution, output: Memory?)
    }

    private let staging: Memory
    private let quantizeInput: Reorder
    private let input: Memory
    private let stem: (layer: Convolution, output: Memory)
    private let blocks: [Block]
    private let head: (layer: Convolution, output: Memory)

    init(scheme: Int8Scheme, batch: Int, stream: DNNL.Stream) throws {
        let size = EfficientNetLite0Spec.inputSize
        let shape = [batch, 3, size, size]
        let stemLayer = try scheme.stem.makeConvolution(
            source: MemoryDescriptor(shape: shape, format: .any, dataType: .s8), stream: stream)
        staging = try Memory(descriptor: MemoryDescriptor(shape: shape), engine: stream.engine)
        input = try Memory(descriptor: stemLayer.sourceDescriptor, engine: stream.engine)
        quantizeInput = try Reorder(
            from: staging.descriptor, to: input.descriptor, scales: ([Int8Scheme.inputScale], 0), engine: stream.engine)
        stem = (stemLayer, try stemLayer.makeDestination())
        var current = stemLayer.destinationDescriptor
        var blocks: [Block] = []
        for block in scheme.blocks {
            let expand = try block.expand.map { try $0.makeConvolution(source: current, stream: stream) }
            let depthwise = try block.depthwise.makeConvolution(
                source: expand?.destinationDescriptor ?? current, stream: stream)
            let project = try block.project.makeConvolution(
                source: depthwise.destinationDescriptor, residualInto: block.project.residual ? current : nil,
                stream: stream)
            blocks.append(
                Block(
                    expand: try expand.map { ($0, try $0.makeDestination()) },
                    depthwise: (depthwise, try depthwise.makeDestination()),
                    project: (project, block.project.residual ? nil : try project.makeDestination())))
            current = project.destinationDescriptor
        }
        self.blocks = blocks
        let headLayer = try scheme.head.makeConvolution(source: current, stream: stream)
        head = (headLayer, try headLayer.makeDestination())
    }

    var implementations: [String] {
        [stem.layer.implementationName]
            + blocks.flatMap { block in
                [
                    block.expand?.layer.implementationName, block.depthwise.layer.implementationName,
                    block.project.layer.implementationName,
                ].compactMap { $0 }
            } + [head.layer.implementationName]
    }

    /// The final map, [N, 1280, 7, 7] in f32, for a normalised input.
    func run(_ tensor: Tensor, stream: DNNL.Stream) throws -> Tensor {
        staging.write(tensor)
        try quantizeInput.execute(from: staging, to: input, stream: stream)
        try stem.layer.execute(source: input, destination: stem.output, stream: stream)
        var x = stem.output
        for block in blocks {
            var y = x
            if let expand = block.expand {
                try expand.layer.execute(source: x, destination: expand.output, stream: stream)
                y = expand.output
            }
            try block.depthwise.layer.execute(source: y, destination: block.depthwise.output, stream: stream)
            let output = block.project.output ?? x
            try block.project.layer.execute(source: block.depthwise.output, destination: output, stream: stream)
            x = output
        }
        try head.layer.execute(source: x, destination: head.output, stream: stream)
        return try head.output.tensor(stream: stream)
    }
}
