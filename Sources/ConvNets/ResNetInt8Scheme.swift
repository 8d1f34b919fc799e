// The int8 scales of a ResNet (18 or 50), shared by the oneDNN plan (`ResNetInt8`) and its naive
// twin (`NaiveResNetInt8`). The layers are `Int8Scheme.Layer`s, as EfficientNet-Lite0's:
// per-output-channel s8 weights (least-squares scale), activations per channel with their scales
// folded into the next layer's weights, biases corrected for the rounded weights' mean error.
// What differs from EfficientNet-Lite0:
// - the input, ImageNet-normalised, is s8 per colour, 127 / max |value| that colour can take;
// - every ReLU is unbounded, so each ReLU output is u8 in [0, 127] (7 bits: no saturation in
//   AVX2's u8 × s8 pair sums) with scale 127 / (calibrated range), the ReLU a clip
//   at the range;
// - a block's last convolution adds the shortcut and applies the ReLU after the sum: `sum`, then a
//   [0, 127] clip, written over the shortcut. The shortcut is the block input (an identity block)
//   or the downsample convolution's output, written in the block output's units. So the blocks of
//   a stage form one chain sharing one buffer and one set of scales: per channel, the largest range
//   of every tensor written there (the downsample output and each block's output). Every block
//   output is u8 (7 bits); the downsample output, which is signed, is s8 in the same buffer, and the
//   last convolution's `sum` reads it as s8 (`PostOp.sum(dataType:)`) and writes u8 over it. Kept
//   s8, the block outputs made every following 1x1 an s8-source convolution, which oneDNN's AVX2
//   kernels run with half-scale (7-bit) weights: ResNet-50's feature cosine with its twin was 0.9986
//   on AVX2 (0.9995 with u8 block outputs, where only the stem reads s8; 1.0 with VNNI). ResNet-18's first stage, which has no downsample, adds into the
//   max-pooled stem output, so that chain includes the stem;
// - the last block's output is dequantised to f32 (a scaled reorder) before pooling and `fc`.
// Calibrated tensors, in network order (`Int8Calibration`): the stem; per block its convolutions
// but the last, its downsample (if any), its output.
import TensorCore

struct ResNetInt8Scheme {
    struct Block {
        /// conv1[, conv2], ReLU'd, u8.
        var inner: [Int8Scheme.Layer]
        var downsample: Int8Scheme.Layer?
        /// The last convolution: + shortcut, ReLU, written over the shortcut.
        var last: Int8Scheme.Layer
    }

    var inputScales: [Float]
    var stem: Int8Scheme.Layer
    var blocks: [Block]
    /// The type and per-channel scales of the last block's output.
    var output: (type: Naive.IntegerType, scales: [Float])

    /// The widths of the calibrated tensors of `spec`, in order.
    static func calibratedWidths(_ spec: ResNetSpec) -> [Int] {
        [ResNetSpec.stemChannels]
            + spec.stages.joined().flatMap { block in
                block.convolutions.dropLast().map(\.output) + (block.hasDownsample ? [block.output] : [])
                    + [block.output]
            }
    }

    /// Per input colour, 127 over the largest |value| the normalisation gives a byte.
    static func inputScales(_ normalization: InputNormalization) -> [Float] {
        normalization.affine.map { affine in
            127 / max(abs(affine.offset), abs(255 * affine.scale + affine.offset))
        }
    }

    /// A ReLU output's scales: its calibrated range onto 127.
    static func scales(_ ranges: [Float]) -> [Float] { Int8Scheme.linearScales(ranges) }

    init(weights: ResNetWeights, calibration: Int8Calibration) {
        typealias Statistics = (ranges: [Float], means: [Float])
        var ranges = calibration.channelRanges.makeIterator()
        var means = calibration.channelMeans.makeIterator()
        func next(_ channels: Int) -> Statistics {
            (
                ranges.next() ?? Array(repeating: 1, count: channels),
                means.next() ?? Array(repeating: 0, count: channels)
            )
        }
        let inputMeans = means.next() ?? [0, 0, 0]
        let stemStatistics = next(ResNetSpec.stemChannels)
        let blockWeights = Array(weights.stages.joined())
        let blockStatistics = blockWeights.map { block in
            (
                inner: block.convolutions.dropLast().map { next($0.outputChannels) },
                downsample: block.downsample.map { next($0.outputChannels) },
                output: next(block.spec.output)
            )
        }
        // The chains: each downsample block starts one; blocks before the first (ResNet-18's first
        // stage) continue the stem's.
        var chainOf: [Int] = []
        for (index, block) in blockWeights.enumerated() {
            chainOf.append(block.downsample != nil ? index : (index == 0 ? -1 : chainOf[index - 1]))
        }
        var chainRanges: [Int: [Float]] = [-1: stemStatistics.ranges]
        func widen(_ chain: Int, _ values: [Float]) {
            chainRanges[chain] = zip(chainRanges[chain] ?? values, values).map { max($0, $1) }
        }
        for (index, statistics) in blockStatistics.enumerated() {
            if let downsample = statistics.downsample { widen(index, downsample.ranges) }
            widen(chainOf[index], statistics.output.ranges)
        }
        let chainScales = chainRanges.mapValues(Self.scales)
        inputScales = Self.inputScales(.imagenet)
        let stemScales = chainScales[-1] ?? Self.scales(stemStatistics.ranges)
        stem = Int8Scheme.Layer(
            convolution: weights.stem, source: .s8, sourceScales: inputScales, sourceMeans: inputMeans,
            destination: .u8, destinationScales: stemScales, residual: false)
        // Max pooling keeps each channel's scale.
        var input: (type: Naive.IntegerType, scales: [Float], means: [Float]) = (.u8, stemScales, stemStatistics.means)
        var blocks: [Block] = []
        for (index, block) in blockWeights.enumerated() {
            let statistics = blockStatistics[index]
            let chain = chainOf[index]
            let outputScales = chainScales[chain] ?? Self.scales(statistics.output.ranges)
            var inner: [Int8Scheme.Layer] = []
            var front = input
            for (convolution, innerStatistics) in zip(block.convolutions.dropLast(), statistics.inner) {
                let scales = Self.scales(innerStatistics.ranges)
                inner.append(
                    Int8Scheme.Layer(
                        convolution: convolution, source: front.type, sourceScales: front.scales,
                        sourceMeans: front.means, destination: .u8, destinationScales: scales, residual: false))
                front = (.u8, scales, innerStatistics.means)
            }
            let downsample = block.downsample.map { convolution in
                Int8Scheme.Layer(
                    convolution: convolution, source: input.type, sourceScales: input.scales, sourceMeans: input.means,
                    destination: .s8, destinationScales: outputScales, residual: false)
            }
            guard let lastConvolution = block.convolutions.last else {
                preconditionFailure("ResNetInt8Scheme: a block without convolutions (ResNetWeights loads two or three)")
            }
            let last = Int8Scheme.Layer(
                convolution: lastConvolution, source: front.type, sourceScales: front.scales, sourceMeans: front.means,
                destination: .u8, destinationScales: outputScales, residual: true, clipAfterSum: 0...127,
                residualType: downsample == nil ? nil : .s8)
            blocks.append(Block(inner: inner, downsample: downsample, last: last))
            input = (.u8, outputScales, statistics.output.means)
        }
        self.blocks = blocks
        output = (input.type, input.scales)
    }
}
