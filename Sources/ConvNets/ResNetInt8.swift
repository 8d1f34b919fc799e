// ResNet-18/50 in int8 on oneDNN, with the scales of `ResNetInt8Scheme`: the input quantised per
// colour into s8, every convolution in int8 with s32 accumulation and requantisation in its
// per-channel output scales, ReLU as a [0, 127] clip, each block's shortcut add and ReLU fused into
// its last convolution (`sum` + clip) writing over the shortcut, max pooling on u8, and the last
// block's output dequantised into f32 by a scaled reorder; pooling and `fc` then run as in `ResNet`.
// As `ResNet`, one plan of primitives and buffers per input shape. The twin is `NaiveResNetInt8`.
//
// Shapes as `ResNet`: input [N, 3, H, W]; map [N, D, H/32, W/32].
import DNNL
import TensorCore

public final class ResNetInt8 {
    public let weights: ResNetWeights
    public let calibration: Int8Calibration
    let scheme: ResNetInt8Scheme
    private let engine: Engine
    private let stream: DNNL.Stream
    private var plans: [[Int]: ResNetInt8Plan] = [:]

    public init(weights: ResNetWeights, calibration: Int8Calibration, threads: Int? = nil) throws {
        if let threads { DNNLRuntime.setThreadCount(threads) }
        precondition(calibration.backbone == weights.backbone, "ResNetInt8: a \(calibration.backbone) calibration")
        self.weights = weights
        self.calibration = calibration
        scheme = ResNetInt8Scheme(weights: weights, calibration: calibration)
        engine = try Engine()
        stream = try DNNL.Stream(engine: engine)
    }

    /// Runs the network on `input` ([N, 3, H, W], ImageNet-normalised; H and W at least 32).
    public func forward(_ input: Tensor, gridCells: Int = 2) throws -> BackboneOutput {
        try ResNet.forward(
            input, weights: weights, gridCells: gridCells, name: "ResNetInt8", maxBatch: Self.maxPassBatch
        ) { slice in
            let plan = try plans[slice.shape] ?? ResNetInt8Plan(scheme: scheme, shape: slice.shape, stream: stream)
            plans[slice.shape] = plan
            return try plan.run(slice, stream: stream)
        }
    }

    /// Images per pass: 16, the memory of f32's 4 in u8 (as `EfficientNetLite0Int8.maxPassBatch`):
    /// ResNet-50 `cnn-bench --precision int8 --batch 16`, 2 cores with VNNI: 92–94 images/s in
    /// passes of 4, 96–97 in passes of 16.
    public static let maxPassBatch = 16

    /// The implementation oneDNN chose for each convolution, in order, for the benchmark's note.
    public func implementations(shape: [Int] = [1, 3, 224, 224]) throws -> [String] {
        try ResNetInt8Plan(scheme: scheme, shape: shape, stream: stream).implementations
    }
}

extension ResNetInt8: FeatureExtractor {
    public var backbone: Backbone { weights.backbone }
    public var featureWidth: Int { weights.spec.featureChannels }
}

/// The int8 primitives and buffers for one input shape.
final class ResNetInt8Plan {
    private struct Block {
        var inner: [(layer: Convolution, output: Memory)]
        /// The downsample and its s8 output, and the same buffer as the block's u8 output.
        var downsample: (layer: Convolution, output: Memory, asOutput: Memory)?
        var last: Convolution
    }

    private let quantizeInput: Reorder
    private let input: Memory
    private let stem: (layer: Convolution, output: Memory)
    private let pool: (layer: Pooling, output: Memory)
    private let blocks: [Block]
    private let dequantize: Reorder
    private let map: Memory

    init(scheme: ResNetInt8Scheme, shape: [Int], stream: DNNL.Stream) throws {
        let engine = stream.engine
        let stemLayer = try scheme.stem.makeConvolution(
            source: MemoryDescriptor(shape: shape, format: .any, dataType: .s8), stream: stream)
        input = try Memory(descriptor: stemLayer.sourceDescriptor, engine: engine)
        // One scale per colour: mask bit 1, the channel dimension.
        quantizeInput = try Reorder(
            from: MemoryDescriptor(shape: shape), to: input.descriptor, scales: (scheme.inputScales, 1 << 1),
            engine: engine)
        stem = (stemLayer, try stemLayer.makeDestination())
        let poolLayer = try Pooling(
            source: stemLayer.destinationDescriptor, kind: .max, geometry: ResNetSpec.poolGeometry, engine: engine)
        pool = (poolLayer, try poolLayer.makeDestination())
        var current = poolLayer.destinationDescriptor
        var blocks: [Block] = []
        for block in scheme.blocks {
            var inner: [(layer: Convolution, output: Memory)] = []
            var source = current
            for layer in block.inner {
                let convolution = try layer.makeConvolution(source: source, stream: stream)
                inner.append((convolution, try convolution.makeDestination()))
                source = convolution.destinationDescriptor
            }
            let downsample = try block.downsample.map { try $0.makeConvolution(source: current, stream: stream) }
            // The sum writes over the shortcut, so the last convolution keeps the shortcut's layout
            // (and writes u8 where a downsample wrote s8).
            let last = try block.last.makeConvolution(
                source: source, residualInto: downsample?.destinationDescriptor.with(dataType: .u8) ?? current,
                stream: stream)
            let shortcut = try downsample.map { layer in
                let output = try layer.makeDestination()
                return (layer, output, try output.reinterpreted(as: last.destinationDescriptor))
            }
            blocks.append(Block(inner: inner, downsample: shortcut, last: last))
            current = last.destinationDescriptor
        }
        self.blocks = blocks
        // Channels-last, which pooling reads (`BackboneOutput(channelsLastMap:)`).
        let nhwc = MemoryDescriptor(shape: current.shape, format: .channelsLast)
        map = try Memory(descriptor: nhwc, engine: engine)
        dequantize = try Reorder(
            from: current, to: nhwc, scales: (scheme.output.scales.map { 1 / $0 }, 1 << 1), engine: engine)
    }

    var implementations: [String] {
        [stem.layer.implementationName]
            + blocks.flatMap { block in
                block.inner.map(\.layer.implementationName)
                    + [block.downsample?.layer.implementationName, block.last.implementationName].compactMap { $0 }
            }
    }

    /// The final map in f32, channels-last [N, H/32, W/32, D], for a normalised input.
    func run(_ tensor: Tensor, stream: DNNL.Stream) throws -> Tensor {
        try Memory.reading(tensor, engine: stream.engine) { source in
            try quantizeInput.execute(from: source, to: input, stream: stream)
            try stream.wait()
        }
        try stem.layer.execute(source: input, destination: stem.output, stream: stream)
        try pool.layer.execute(source: stem.output, destination: pool.output, stream: stream)
        var x = pool.output
        for block in blocks {
            var y = x
            for conv in block.inner {
                try conv.layer.execute(source: y, destination: conv.output, stream: stream)
                y = conv.output
            }
            var shortcut = x
            if let downsample = block.downsample {
                try downsample.layer.execute(source: x, destination: downsample.output, stream: stream)
                shortcut = downsample.asOutput
            }
            try block.last.execute(source: y, destination: shortcut, stream: stream)
            x = shortcut
        }
        try dequantize.execute(from: x, to: map, stream: stream)
        return try map.channelsLastTensor(stream: stream)
    }
}
