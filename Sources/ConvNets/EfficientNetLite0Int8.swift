// EfficientNet-Lite0 in int8 on oneDNN: the network EfficientNet-Lite was designed to be for
// integer inference (no squeeze-excite, ReLU6). Weights are quantised per output channel
// (symmetric, 127 / max |w[o]| after BatchNorm folding); activations per tensor:
// - the input, (x − 127) / 128, is the s8 value x − 127 exactly (scale 128); without VNNI the u8
//   value x, zero point 127 (`Int8WidenedStem`);
// - every ReLU6 output (stem, expand, depthwise) is u8 in [0, L] with scale L / 6: the whole range
//   of ReLU6, not a calibrated one (`Int8Scheme.reluScales` says why), the ReLU6 a clip post-op in
//   the destination's units (`Int8Scheme.reluLevels`). L is 255. Without VNNI oneDNN's 1x1 kernels
//   multiply u8 by s8 with vpmaddubsw, whose pairwise sums saturate at 32767, so there the project
//   convolutions, which read those outputs, get 7-bit weights (`Int8Scheme.projectWeightLevels`;
//   8-bit weights had given a feature cosine with f32 of 0.95 on the real photos);
// - each MBConv block's output (the linear projection, plus the block input for a residual block)
//   is s8 with scale 127 / range; the blocks of one residual chain share their scales (the largest
//   range per channel), because each residual add is fused into the project convolution as a
//   `sum` post-op writing over the block input (in place, so in the same units);
// - the head's 1x1 + ReLU6 writes f32 (dequantised in its output scales), and pooling and the
//   classifier run on that f32 map exactly as in `EfficientNetLite0`.
// Every convolution accumulates in s32 and requantises in its output scales: (acc + bias) ×
// S_out[o] / s_w[o], with its input's scales folded into its weights and the bias given in
// accumulator units (bias · s_w[o]).
// The twin of each layer is `Naive.quantizedConv2d` (`NaiveEfficientNetInt8` chains them).
//
// Shapes as `EfficientNetLite0`: input [N, 3, 224, 224]; map [N, 1280, 7, 7].
import DNNL
import Dispatch
import Foundation
import TensorCore

/// A buffer's base address that concurrent workers write disjoint parts of.
private struct SendablePointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    /// `buffer` must not be empty.
    init(_ buffer: UnsafeMutableBufferPointer<Float>) {
        guard let base = buffer.baseAddress else { preconditionFailure("SendablePointer: an empty buffer") }
        self.base = base
    }
}

public final class EfficientNetLite0Int8 {
    public let weights: EfficientNetLite0Weights
    public let calibration: Int8Calibration
    let scheme: Int8Scheme
    private let engine: Engine
    private let stream: DNNL.Stream
    private var plans: [Int: EfficientNetInt8Plan] = [:]
    /// How the stem reads the picture: `Int8Scheme.stemInput` (this CPU's), or, for tests, the other.
    var stemInput = Int8Scheme.stemInput {
        didSet { plans = [:] }
    }

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
        try EfficientNetLite0.forward(
            input, weights: weights, gridCells: gridCells, name: "EfficientNetLite0Int8", maxBatch: Self.maxPassBatch
        ) { slice in
            try plan(batch: slice.shape[0]).run(slice, stream: stream)
        }
    }

    /// The primitives for `batch` images, made on first use.
    private func plan(batch: Int) throws -> EfficientNetInt8Plan {
        if let known = plans[batch] { return known }
        let plan = try EfficientNetInt8Plan(scheme: scheme, batch: batch, stream: stream, stemInput: stemInput)
        plans[batch] = plan
        return plan
    }

    /// Runs the network on 224x224 RGB24 `pictures`: with the `lite` recipe, which the int8 input
    /// scale assumes, the bytes go straight into the stem's input (`EfficientNetInt8Plan.run(rgb24:)`),
    /// the same values as through the normalised f32 picture; any other recipe goes that way.
    public func forwardRGB24(
        _ pictures: [[UInt8]], normalization: InputNormalization, gridCells: Int
    ) throws -> BackboneOutput {
        let size = EfficientNetLite0Spec.inputSize
        guard normalization == .lite else {
            return try forward(normalization.tensor(from: pictures, height: size, width: size), gridCells: gridCells)
        }
        let map = try forwardInPasses(count: pictures.count, maxBatch: Self.maxPassBatch) { range in
            try plan(batch: range.count).run(rgb24: pictures[range], stream: stream)
        }
        return BackboneOutput(
            channelsLastMap: map, classifierWeight: weights.classifierWeight, bias: weights.classifierBias,
            gridCells: gridCells)
    }

    /// Images per pass: 16, where f32 takes 4 (`EfficientNetLite0.maxPassBatch`). u8 activations
    /// are a quarter of f32's, so 16 images take the memory f32's 4 do, and fewer, larger calls
    /// keep both cores busier: `cnn-bench --precision int8 --batch 16`, 2 cores with VNNI, passes
    /// of 4 → 415–422 images/s, of 16 → 468–475 (with the channels-last map and no input copies).
    public static let maxPassBatch = 16

    /// The implementation oneDNN chose for each convolution, in order (stem, blocks, head), for
    /// benchmarks and the note on which kernels ran.
    public func implementations(batch: Int = 1) throws -> [String] {
        try EfficientNetInt8Plan(scheme: scheme, batch: batch, stream: stream, stemInput: stemInput).implementations
    }
}

extension EfficientNetLite0Int8: FeatureExtractor {
    public var backbone: Backbone { .efficientnetLite0 }
    public var featureWidth: Int { EfficientNetLite0Spec.featureChannels }
}

/// The scales of every quantised tensor, shared by the oneDNN plan and the naive twin. Activations
/// are quantised per channel: channel c of a tensor is stored as round(x · S[c]). oneDNN takes one
/// source scale per tensor, so a consumer folds its input's channel scales into its weights
/// (W'[o, c] = W[o, c] / S[c], the input then read at scale 1) and a producer writes each output
/// channel at its own scale through its per-channel output scales. This is what keeps a few
/// outlier channels from coarsening all the others: the residual streams of EfficientNet-Lite0
/// reach |x| = 40–63 in a handful of channels while most stay within a few units (per-tensor
/// scales gave a mean feature cosine with f32 of 0.97 on the real clips).
struct Int8Scheme {
    /// One quantised convolution: its folded weights and what it reads and writes, and what
    /// follows from them (computed once, at load).
    struct Layer {
        let convolution: FoldedConvolution
        let source: Naive.IntegerType
        /// Per input channel (the stem: one per colour).
        let sourceScales: [Float]
        /// nil: f32 destination.
        let destination: Naive.IntegerType?
        /// Per output channel (an f32 destination: 1).
        let destinationScales: [Float]
        let residual: Bool
        /// A clip after the residual sum (ResNet's ReLU after its shortcut add), in the
        /// destination's units.
        let clipAfterSum: ClosedRange<Float>?
        /// The type the residual is stored as when it is not the destination's (ResNet: an s8
        /// downsample output under the block's u8 output).
        let residualType: Naive.IntegerType?
        /// The weights with the input's channel scales folded in: W'[o, i, kh, kw] = W / S[channel].
        let weight: Tensor
        /// Per output channel, the scale that rounds W'[o] to s8 with the least squared error.
        let weightScales: [Float]
        /// The largest weight level: 127, or 63 (7 bits, `Int8Scheme.projectWeightLevels`); `weight` is
        /// clipped to [−(L + 1), L] / scale, so oneDNN's rounding cannot go past it.
        let weightLevels: Float
        /// The bias corrected for the rounded weights' mean error, in accumulator units.
        let accumulatorBias: Tensor

        /// `sourceMeans`: per input channel, the mean input (real units) over the calibration.
        init(
            convolution: FoldedConvolution, source: Naive.IntegerType, sourceScales: [Float], sourceMeans: [Float],
            destination: Naive.IntegerType?, destinationScales: [Float], residual: Bool,
            clipAfterSum: ClosedRange<Float>? = nil, residualType: Naive.IntegerType? = nil, weightLevels: Float = 127
        ) {
            precondition(
                (clipAfterSum == nil && residualType == nil) || residual,
                "Int8Scheme.Layer: a clip after the sum or a residual type needs a residual")
            self.clipAfterSum = clipAfterSum
            self.residualType = residualType
            self.convolution = convolution
            self.source = source
            self.sourceScales = sourceScales
            self.destination = destination
            self.destinationScales = destinationScales
            self.residual = residual
            self.weightLevels = weightLevels
            let shape = convolution.weight.shape
            let perOutput = shape[1] * shape[2] * shape[3]
            let outPerGroup = shape[0] / convolution.geometry.groups
            // The input channel element `index` of the weight reads: i for a full convolution, o
            // for a depthwise one.
            let channels = (0..<convolution.weight.count).map { index in
                let o = index / perOutput
                return (o / outPerGroup) * shape[1] + (index % perOutput) / (shape[2] * shape[3])
            }
            var weight = convolution.weight
            weight.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] /= sourceScales[channels[index]] }
            }
            // Output channels are independent: their scales and bias corrections are computed side
            // by side (each exactly as one at a time would), which keeps loading the network short.
            let outputs = shape[0]
            var scales = [Float](repeating: 1, count: outputs)
            var corrected = [Float](repeating: 0, count: outputs)
            let (bias, folded) = (convolution.bias, weight)
            scales.withUnsafeMutableBufferPointer { scales in
                corrected.withUnsafeMutableBufferPointer { corrected in
                    let (scalesOut, correctedOut) = (SendablePointer(scales), SendablePointer(corrected))
                    let chunks = min(outputs, 2 * ProcessInfo.processInfo.activeProcessorCount)
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        for o in (chunk * outputs / chunks)..<((chunk + 1) * outputs / chunks) {
                            let range = (o * perOutput)..<((o + 1) * perOutput)
                            let scale = Self.bestScale(folded.storage[range], levels: weightLevels)
                            // Bias correction (Nagel et al. 2019): subtract Σ (Wq' − W') · E[q] per
                            // output, with E[q] = mean · S per input channel (zero padding at the
                            // borders is not counted).
                            var error: Double = 0
                            for index in range {
                                let c = channels[index]
                                let w = folded.storage[index]
                                let rounding = Double(Self.rounded(w * scale, levels: weightLevels) / scale - w)
                                error += rounding * Double(sourceMeans[c] * sourceScales[c])
                            }
                            scalesOut.base[o] = scale
                            correctedOut.base[o] = (bias[flat: o] - Float(error)) * scale
                        }
                    }
                }
            }
            weightScales = scales
            accumulatorBias = Tensor(shape: bias.shape, storage: corrected)
            if weightLevels < 127 {
                weight.withUnsafeMutableBufferPointer { values in
                    for index in values.indices {
                        let scale = scales[index / perOutput]
                        values[index] = min(max(values[index], -(weightLevels + 1) / scale), weightLevels / scale)
                    }
                }
            }
            self.weight = weight
        }

        /// The scale that rounds `values` to [−(L + 1), L] (L = `levels`: 127 for s8) with the least
        /// squared error: L / (f · max |w|)
        /// for the best f in 0.50 ... 1.00 (steps of 0.05; f < 1 clips the largest weights, which
        /// pays where a channel has a few of them); 1 for all zeros. The squared errors are summed
        /// on 8 lanes (then across them), which is what keeps loading the network short: this
        /// search runs 11 times over every weight.
        static func bestScale(_ values: ArraySlice<Float>, levels: Float = 127) -> Float {
            values.withUnsafeBufferPointer { values in
                var largest: Float = 0
                for w in values { largest = max(largest, abs(w)) }
                guard largest > 0, let base = values.baseAddress else { return 1 }
                var best: (error: Float, scale: Float) = (.infinity, levels / largest)
                let count = values.count
                for step in stride(from: 100, through: 50, by: -5) {
                    let scale = levels / (largest * Float(step) / 100)
                    var lanes = SIMD8<Float>()
                    var index = 0
                    while index + 8 <= count {
                        let w = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD8<Float>.self)
                        let difference = rounded(w * scale, levels: levels) / scale - w
                        lanes += difference * difference
                        index += 8
                    }
                    var error = lanes.sum()
                    while index < count {
                        let difference = rounded(values[index] * scale, levels: levels) / scale - values[index]
                        error += difference * difference
                        index += 1
                    }
                    if error < best.error { best = (error, scale) }
                }
                return best.scale
            }
        }

        /// `rounded(_:levels:)` on 8 lanes, for |x| < 2²² (weights times their scale stay below 256).
        @inline(__always)
        static func rounded(_ x: SIMD8<Float>, levels: Float) -> SIMD8<Float> {
            let magic = SIMD8<Float>(repeating: 12_582_912)
            var rounded = (x + magic) - magic
            rounded.replace(with: SIMD8(repeating: -(levels + 1)), where: rounded .< -(levels + 1))
            rounded.replace(with: SIMD8(repeating: levels), where: rounded .> levels)
            return rounded
        }

        /// x rounded to the nearest integer (ties to even) in [−(L + 1), L]: `roundedS8` for L 127.
        @inline(__always)
        static func rounded(_ x: Float, levels: Float) -> Float {
            min(max(roundedS8(x), -(levels + 1)), levels)
        }

        /// `Naive.quantize(x, .s8)` for |x| < 2²²: adding and subtracting 1.5 · 2²³ rounds to the
        /// nearest integer, ties to even, as `rounded(.toNearestOrEven)` does, but inline (the
        /// weights' scale search runs it 11 times per weight while the network loads).
        @inline(__always)
        static func roundedS8(_ x: Float) -> Float {
            let magic: Float = 12_582_912
            let rounded = abs(x) < 4_194_304 ? (x + magic) - magic : x.rounded(.toNearestOrEven)
            return rounded < -128 ? -128 : (rounded > 127 ? 127 : rounded)
        }

        var outputScales: [Float] { zip(weightScales, destinationScales).map { $1 / $0 } }

        /// ReLU6 or ReLU as a clip in the destination's units: ReLU6's scale maps [0, 6] onto
        /// [0, `reluLevels`], ReLU's (ResNet) its calibrated range onto [0, 127]; nothing for a
        /// linear layer. An f32 destination clips at 6 (ReLU6) or not above (ReLU).
        var clip: ClosedRange<Float>? {
            switch convolution.activation {
            case .none: return nil
            case .relu6: return 0...(destination == nil ? 6 : Int8Scheme.reluLevels)
            case .relu: return 0...(destination == nil ? .greatestFiniteMagnitude : 127)
            }
        }
    }

    struct Block {
        var expand: Layer?
        var depthwise: Layer
        var project: Layer
    }

    static let inputScale: Float = 128

    /// The largest value of a u8 ReLU6 output: 255, all 8 bits. With 7 (127, before) the mean
    /// feature cosine with f32 on 1440 frames of the motion clips was 0.9858 against 0.9953, the
    /// minimum 0.82 against 0.94 (VNNI, calibrated ranges). ResNet keeps 7 bits
    /// (`ResNetInt8Scheme`).
    static let reluLevels: Float = 255

    /// The largest weight of a project 1x1 convolution, the only ones reading those u8 outputs
    /// with oneDNN's 1x1 kernels: 127 with VNNI (u8 × s8 summed in s32); 63 without, where the
    /// kernels multiply with vpmaddubsw, whose sums of two u8 × s8 products saturate at 32767
    /// (2 · 255 · 127 would, 2 · 255 · 64 does not; ONNX Runtime's `reduce_range` is the same
    /// remedy). The depthwise kernels do not saturate: with 7-bit depthwise weights too, the twin
    /// test's cosine on AVX2 moved only from 0.9971 to 0.9974.
    /// Without VNNI, 7-bit ReLU6 outputs with 8-bit weights had given, on 1440 frames (motion /
    /// motion-x), min 0.942 / 0.882, mean 0.9896 / 0.9876, top-1 1263 / 1230; 8-bit outputs with
    /// 7-bit project weights give 0.941 / 0.888, 0.9907 / 0.9891, 1261 / 1267.
    static let projectWeightLevels: Float = DNNLRuntime.usesVNNI ? 127 : 63

    /// How the stem reads the picture: as s8, x − 127, with VNNI; without it as u8 with a zero byte
    /// after each colour (`Int8WidenedStem`), which keeps the stem's weights at 8 bits where an s8
    /// source would have them halved.
    enum StemInput { case s8, widenedU8 }
    static var stemInput: StemInput { DNNLRuntime.usesVNNI ? .s8 : .widenedU8 }

    /// How many convolutions `Int8Calibration.channelRanges` covers: the stem, then per block the
    /// expand (when the block has one), the depthwise and the project.
    static let calibratedLayers = 1 + EfficientNetLite0Spec.blocks.reduce(0) { $0 + ($1.hasExpansion ? 3 : 2) }

    /// The channel count of each of those layers' outputs.
    static let calibratedWidths: [Int] =
        [EfficientNetLite0Spec.stemChannels]
        + EfficientNetLite0Spec.blocks.flatMap { block in
            (block.hasExpansion ? [block.expanded] : []) + [block.expanded, block.output]
        }

    /// The scales of a ReLU6 output of `channels` channels: the whole [0, 6] onto [0, `reluLevels`],
    /// whatever calibration measured. Calibrated ranges (the largest value over the calibration
    /// pictures) were tighter, and pictures unlike those went past them and were clipped, which
    /// cost far more than the coarser steps: `vidact int8-check --frames 1440`, VNNI, ranges
    /// [0, min(6, k·r)] → k 1: cosine with f32 min 0.943 / mean 0.9953 on the motion clips (the
    /// calibration's source), 0.930 / 0.9927 on another clip set; k 1.5: 0.972 / 0.9968,
    /// 0.957 / 0.9955; k 2: 0.968 / 0.9969, 0.955 / 0.9961; [0, 6]: 0.972 / 0.9972,
    /// 0.956 / 0.9967. Without VNNI (then 7-bit outputs): k 1: 0.868 / 0.9843, 0.849 / 0.9802; [0, 6]:
    /// 0.944 / 0.9896, 0.882 / 0.9876. A fake-quantised PyTorch model showed the same: the
    /// stem's output, clipped at its calibrated range, was what broke the low-contrast pictures.
    static func reluScales(channels: Int) -> [Float] { Array(repeating: reluLevels / 6, count: channels) }

    /// The scales of a linear (s8) output: [−r, r] onto [−127, 127]. (Wider ranges for the
    /// residual streams, 1.25 r and 1.5 r, made the mean cosine worse.)
    static func linearScales(_ ranges: [Float]) -> [Float] { ranges.map { 127 / max($0, 1e-3) } }

    var stem: Layer
    var blocks: [Block]
    var head: Layer

    init(weights: EfficientNetLite0Weights, calibration: Int8Calibration) {
        // One set of scales per residual chain (each residual add writes over the block input, in
        // place, so in the same units): a block without a residual starts a chain.
        var chainOf: [Int] = []
        for (index, block) in weights.blocks.enumerated() {
            chainOf.append(block.spec.hasResidual ? chainOf[index - 1] : index)
        }
        // Ranges and means in network order (`Int8Calibration.load` has checked the widths).
        var ranges = calibration.channelRanges.makeIterator()
        var means = calibration.channelMeans.makeIterator()
        typealias Statistics = (ranges: [Float], means: [Float])
        func next(_ channels: Int) -> Statistics {
            (
                ranges.next() ?? Array(repeating: 6, count: channels),
                means.next() ?? Array(repeating: 0, count: channels)
            )
        }
        let inputMeans = means.next() ?? [0, 0, 0]
        let stemStatistics = next(weights.stem.outputChannels)
        let stemScales = Self.reluScales(channels: stemStatistics.ranges.count)
        var layerStatistics: [(expand: Statistics?, depthwise: Statistics, project: Statistics)] = []
        for block in weights.blocks {
            let expand = block.expand.map { next($0.outputChannels) }
            layerStatistics.append(
                (expand, next(block.depthwise.outputChannels), next(block.project.outputChannels)))
        }
        let layerRanges = layerStatistics.map { ($0.expand?.ranges, $0.depthwise.ranges, project: $0.project.ranges) }
        var chainRanges: [Int: [Float]] = [:]
        for (index, range) in layerRanges.enumerated() {
            let chain = chainOf[index]
            chainRanges[chain] = zip(chainRanges[chain] ?? range.project, range.project).map { max($0, $1) }
        }
        stem = Layer(
            convolution: weights.stem, source: .s8, sourceScales: Array(repeating: Self.inputScale, count: 3),
            sourceMeans: inputMeans, destination: .u8, destinationScales: stemScales, residual: false)
        var input: (type: Naive.IntegerType, scales: [Float], means: [Float]) = (.u8, stemScales, stemStatistics.means)
        var blocks: [Block] = []
        for (index, block) in weights.blocks.enumerated() {
            let outputScales = Self.linearScales(chainRanges[chainOf[index]] ?? layerRanges[index].project)
            var front = input
            var expand: Layer?
            if let convolution = block.expand, let statistics = layerStatistics[index].expand {
                let scales = Self.reluScales(channels: statistics.ranges.count)
                expand = Layer(
                    convolution: convolution, source: input.type, sourceScales: input.scales, sourceMeans: input.means,
                    destination: .u8, destinationScales: scales, residual: false)
                front = (.u8, scales, statistics.means)
            }
            let depthwiseStatistics = layerStatistics[index].depthwise
            let depthwiseScales = Self.reluScales(channels: depthwiseStatistics.ranges.count)
            let depthwise = Layer(
                convolution: block.depthwise, source: front.type, sourceScales: front.scales, sourceMeans: front.means,
                destination: .u8, destinationScales: depthwiseScales, residual: false)
            let project = Layer(
                convolution: block.project, source: .u8, sourceScales: depthwiseScales,
                sourceMeans: depthwiseStatistics.means, destination: .s8, destinationScales: outputScales,
                residual: block.spec.hasResidual, weightLevels: Self.projectWeightLevels)
            blocks.append(Block(expand: expand, depthwise: depthwise, project: project))
            input = (.s8, outputScales, layerStatistics[index].project.means)
        }
        self.blocks = blocks
        head = Layer(
            convolution: weights.head, source: input.type, sourceScales: input.scales, sourceMeans: input.means,
            destination: nil,
            destinationScales: Array(repeating: 1, count: weights.head.outputChannels), residual: false)
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
        try makeConvolution(
            source: source, weight: weight, bias: accumulatorBias, geometry: convolution.geometry,
            residualInto: residualInto, stream: stream)
    }

    /// The same with other weights, bias and geometry (`Int8WidenedStem`'s) and this layer's
    /// destination type, scales and post-ops; the source type is `source`'s (oneDNN needs the two
    /// to agree), u8 for the widened stem of an s8 layer.
    func makeConvolution(
        source: MemoryDescriptor, weight: Tensor, bias: Tensor, geometry: Conv2DGeometry,
        residualInto: MemoryDescriptor? = nil, stream: DNNL.Stream
    ) throws -> Convolution {
        precondition(residual == (residualInto != nil), "Int8Scheme: a residual layer needs its block input")
        var postOps: [PostOp] = clip.map { [.clip(lower: $0.lowerBound, upper: $0.upperBound)] } ?? []
        if residual { postOps.append(.sum(scale: 1, dataType: residualType?.dataType)) }
        if let clipAfterSum { postOps.append(.clip(lower: clipAfterSum.lowerBound, upper: clipAfterSum.upperBound)) }
        return try Convolution(
            source: source, weight: weight, bias: bias, geometry: geometry, postOps: postOps,
            destination: residualInto,
            quantization: ConvolutionQuantization(
                source: source.dataType, destination: destination?.dataType ?? .f32, weightScales: weightScales,
                outputScales: outputScales),
            stream: stream)
    }

    /// The naive twin of this layer on integer `input` (and, for a residual layer, the block input).
    func naiveForward(_ input: Tensor, residual: Tensor? = nil) -> Tensor {
        Naive.quantizedConv2d(
            input, weight: weight, weightScales: weightScales, bias: accumulatorBias,
            outputScales: outputScales, geometry: convolution.geometry, clip: clip, residual: residual.map { ($0, 1) },
            clipAfterResidual: clipAfterSum, destination: destination)
    }
}

/// The int8 primitives and buffers for one batch size.
final class EfficientNetInt8Plan {
    private struct Block {
        var expand: (layer: Convolution, output: Memory)?
        var depthwise: (layer: Convolution, output: Memory)
        var project: (layer: Convolution, output: Memory?)
    }

    /// How the stem's input is filled.
    private enum Feed {
        /// The s8 stem: a quantising reorder from a normalised tensor; `channelsLast` where oneDNN
        /// chose NHWC, the order of RGB24 pictures, which `run(rgb24:)` then writes directly.
        case s8(quantize: Reorder, channelsLast: Bool)
        /// The u8 stem of CPUs without VNNI, whose input `Int8WidenedStem` writes.
        case widened(Int8WidenedStem)
    }

    private let batch: Int
    private let feed: Feed
    private let input: Memory
    /// Whether the stem reads s8 channels-last, the order of RGB24 pictures (`run(rgb24:)`).
    var takesChannelsLastInput: Bool {
        if case .s8(_, let channelsLast) = feed { return channelsLast }
        return false
    }
    private let stem: (layer: Convolution, output: Memory)
    private let blocks: [Block]
    private let head: (layer: Convolution, output: Memory)

    init(
        scheme: Int8Scheme, batch: Int, stream: DNNL.Stream, stemInput: Int8Scheme.StemInput = Int8Scheme.stemInput
    ) throws {
        let size = EfficientNetLite0Spec.inputSize
        let shape = [batch, 3, size, size]
        self.batch = batch
        let stemLayer: Convolution
        switch stemInput {
        case .s8:
            stemLayer = try scheme.stem.makeConvolution(
                source: MemoryDescriptor(shape: shape, format: .any, dataType: .s8), stream: stream)
            input = try Memory(descriptor: stemLayer.sourceDescriptor, engine: stream.engine)
            feed = .s8(
                quantize: try Reorder(
                    from: MemoryDescriptor(shape: shape), to: input.descriptor, scales: ([Int8Scheme.inputScale], 0),
                    engine: stream.engine),
                channelsLast: input.descriptor == MemoryDescriptor(shape: shape, format: .channelsLast, dataType: .s8))
        case .widenedU8:
            let widened = Int8WidenedStem(stem: scheme.stem, height: size, width: size)
            stemLayer = try widened.makeConvolution(batch: batch, stream: stream)
            input = try Memory(descriptor: stemLayer.sourceDescriptor, engine: stream.engine)
            input.withUnsafeMutableBytes { widened.prepare($0, batch: batch) }
            feed = .widened(widened)
        }
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

    /// The final map in f32, channels-last [N, 7, 7, 1280], for a normalised input.
    func run(_ tensor: Tensor, stream: DNNL.Stream) throws -> Tensor {
        switch feed {
        case .s8(let quantize, _):
            try Memory.reading(tensor, engine: stream.engine) { source in
                try quantize.execute(from: source, to: input, stream: stream)
                try stream.wait()
            }
        case .widened(let widened):
            input.withUnsafeMutableBytes { widened.write(normalised: tensor, into: $0) }
        }
        return try runFromInput(stream: stream)
    }

    /// The final map for 224x224 RGB24 `pictures` (one per image of the plan's batch), normalised
    /// with `InputNormalization.lite`. The widened stem takes the bytes as they are
    /// (`Int8WidenedStem.write(rgb24:into:index:)`). Where the s8 stem reads channels-last
    /// (`takesChannelsLastInput`), the bytes are written straight into it: each byte x becomes
    /// x − 127, saturated (255 → 127), which is what `lite`'s (x − 127) / 128 and the quantising
    /// reorder's × 128 give, exactly; elsewhere they go through the f32 picture. It skips the f32 picture
    /// and the reorder: a 16-picture pass from bytes went from ~33.7 ms (0.9 ms normalising, then
    /// 32.8 ms from the tensor) to 32.4 ms (`cnn-bench --precision int8 [--from-bytes]`, VNNI).
    func run(rgb24 pictures: ArraySlice<[UInt8]>, stream: DNNL.Stream) throws -> Tensor {
        let perPicture = 3 * EfficientNetLite0Spec.inputSize * EfficientNetLite0Spec.inputSize
        let write: (UnsafeRawBufferPointer, UnsafeMutableRawBufferPointer, Int) -> Void
        switch feed {
        case .s8(_, channelsLast: false):
            let size = EfficientNetLite0Spec.inputSize
            return try run(
                InputNormalization.lite.tensor(from: Array(pictures), height: size, width: size), stream: stream)
        case .s8(_, channelsLast: true):
            write = { picture, input, n in
                guard let source = picture.baseAddress, let destination = input.baseAddress else { return }
                Self.shiftToS8(from: source, to: destination + n * perPicture, count: perPicture)
            }
        case .widened(let widened):
            write = { picture, input, n in widened.write(rgb24: picture, into: input, index: n) }
        }
        precondition(
            pictures.count == batch, "EfficientNetInt8Plan: \(pictures.count) pictures for a batch of \(batch)")
        input.withUnsafeMutableBytes { bytes in
            for (n, picture) in pictures.enumerated() {
                precondition(picture.count == perPicture, "EfficientNetInt8Plan: a picture of \(picture.count) bytes")
                picture.withUnsafeBytes { write($0, bytes, n) }
            }
        }
        return try runFromInput(stream: stream)
    }

    /// x − 127 saturated into s8, for `count` bytes: min(x, 254) + 129 modulo 256 has the bits of
    /// that s8 value (0 → −127, 127 → 0, 254 and 255 → 127). A plain loop on pointers, which the
    /// compiler vectorises (`SIMD32` with `pointwiseMin` ran scalar, 12 ns a byte).
    static func shiftToS8(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, count: Int) {
        let x = source.assumingMemoryBound(to: UInt8.self)
        let y = destination.assumingMemoryBound(to: UInt8.self)
        for i in 0..<count { y[i] = min(x[i], 254) &+ 129 }
    }

    private func runFromInput(stream: DNNL.Stream) throws -> Tensor {
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
        return try head.output.channelsLastTensor(stream: stream)
    }
}
