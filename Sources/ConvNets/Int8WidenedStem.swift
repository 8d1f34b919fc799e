// EfficientNet-Lite0's int8 stem on CPUs without VNNI, where it would otherwise run with 7-bit
// weights. oneDNN's AVX2 kernels multiply u8 by s8 with vpmaddubsw, whose sums of two products
// saturate at 32767; for an s8 source they shift it to u8 and halve the weights so that no pair can
// saturate. The stem reads the picture as s8 (x − 127), so its weights lost a bit, and no layer
// costs the features more: `vidact int8-check --frames 1440` with VNNI and 7-bit weights in chosen
// layers (motion clips; min / mean cosine with f32, top-1 agreement): none 0.973 / 0.9972 / 1353;
// the stem alone 0.936 / 0.9941 / 1316; every 1x1 but the stem 0.960 / 0.9951 / 1325; all of them
// (what AVX2 had) 0.938 / 0.9918 / 1305.
//
// So the stem reads the picture's bytes as u8 instead, x itself (zero point 127), with a zero byte
// after each colour: the pairs vpmaddubsw sums are then (colour, 0), one product each, which cannot
// saturate (255 · 128 < 32768), and oneDNN keeps the weights at 8 bits for a u8 source. What
// changes:
// - the input: [N, 6, H + pads, W + pads] u8 channels-last, channels R 0 G 0 B 0; the SAME padding
//   is written into it as x = 127 (the value 0), because oneDNN pads with the byte 0, which would
//   now mean −127;
// - the weights: [O, 6, k, k], each colour's weights at an even channel and zeros at the odd ones,
//   with the stem's own weight scales, so oneDNN rounds them to the same s8 values;
// - the bias, in accumulator units, less 127 · Σ q[o] (the s8 weights q of output o), which takes
//   the zero point back out: Σ q · x = Σ q · (x − 127) + 127 · Σ q;
// - the geometry: no padding.
// With VNNI the stem's outputs are then those of the s8 stem, but where a picture has bytes of 255:
// x − 127 is 128 here, as in f32, where the s8 input saturates it to 127 (white areas of the test
// photos move by up to 16 units). float(acc) + bias adds other numbers than the s8 stem's, so a
// value on a rounding boundary could land one unit away; on the test photos none did.
import DNNL
import TensorCore

struct Int8WidenedStem {
    /// The byte that means 0: the `lite` input (x − 127) / 128.
    static let zeroPoint = 127
    /// Channels per pixel: R 0 G 0 B 0.
    static let channels = 6

    let stem: Int8Scheme.Layer
    /// [O, 6, k, k]: the stem's weights (with its input scale folded in) at the even channels.
    let weight: Tensor
    /// In accumulator units, the zero point taken out.
    let accumulatorBias: Tensor
    let geometry: Conv2DGeometry
    /// The picture's rows and columns, where it starts in the padded input (the stem's SAME
    /// padding before it), and the padded input's rows and columns.
    let height: Int
    let width: Int
    let top: Int
    let left: Int
    let paddedHeight: Int
    let paddedWidth: Int
    /// The input's bytes per picture.
    var bytesPerImage: Int { paddedHeight * paddedWidth * Self.channels }

    init(stem: Int8Scheme.Layer, height: Int, width: Int) {
        precondition(stem.source == .s8 && stem.sourceScales.count == 3, "Int8WidenedStem: not an s8 RGB stem")
        self.stem = stem
        self.height = height
        self.width = width
        let padding = stem.convolution.geometry
        (top, left) = (padding.padTop, padding.padLeft)
        paddedHeight = height + padding.padTop + padding.padBottom
        paddedWidth = width + padding.padLeft + padding.padRight
        let shape = stem.weight.shape
        let (outputs, taps) = (shape[0], shape[2] * shape[3])
        var widened = [Float](repeating: 0, count: outputs * Self.channels * taps)
        let quantized = Naive.quantize(stem.weight, scales: stem.weightScales, axis: 0, to: .s8)
        var bias = stem.accumulatorBias.storage
        for o in 0..<outputs {
            var sum: Double = 0
            for c in 0..<3 {
                for tap in 0..<taps {
                    let from = (o * 3 + c) * taps + tap
                    widened[(o * Self.channels + 2 * c) * taps + tap] = stem.weight.storage[from]
                    sum += Double(quantized.storage[from])
                }
            }
            bias[o] = Float(Double(bias[o]) - Double(Self.zeroPoint) * sum)
        }
        weight = Tensor(shape: [outputs, Self.channels, shape[2], shape[3]], storage: widened)
        accumulatorBias = Tensor(shape: stem.accumulatorBias.shape, storage: bias)
        var geometry = stem.convolution.geometry
        (geometry.padTop, geometry.padBottom, geometry.padLeft, geometry.padRight) = (0, 0, 0, 0)
        self.geometry = geometry
    }

    /// The u8 input for a normalised `[N, 3, H, W]` `picture` (`InputNormalization.lite`), as
    /// `prepare` and `write(normalised:into:)` lay it out, in NCHW as the naive ops take it.
    func naiveInput(_ picture: Tensor) -> Tensor {
        let n = picture.shape[0]
        var bytes = [UInt8](repeating: 0, count: n * bytesPerImage)
        bytes.withUnsafeMutableBytes { buffer in
            prepare(buffer, batch: n)
            write(normalised: picture, into: buffer)
        }
        let plane = paddedHeight * paddedWidth
        return Tensor(shape: [n, Self.channels, paddedHeight, paddedWidth]) { index in
            let (image, c, pixel) = (index / (Self.channels * plane), index / plane % Self.channels, index % plane)
            return Float(bytes[(image * plane + pixel) * Self.channels + c])
        }
    }

    /// The byte for a normalised value v: round(v · 128) + 127 (ties to even), saturated to u8.
    /// v · 128 is clamped to [−127, 128], rounded by adding and subtracting 1.5 · 2²³, and the byte
    /// then read from the low bits of (that + 127 + 1.5 · 2²³), with no checked conversion (this runs
    /// for every value of a picture; through `rounded` and `UInt8(_:)` a pass of 16 pictures took
    /// 7.6 ms). NaN, which no picture gives, becomes 0.
    @inline(__always)
    static func byte(_ value: Float) -> UInt8 {
        let magic: Float = 12_582_912
        let shifted = min(max(value * Int8Scheme.inputScale, -Float(zeroPoint)), 255 - Float(zeroPoint))
        let rounded = (shifted + magic) - magic
        return UInt8(truncatingIfNeeded: (rounded + (magic + Float(zeroPoint))).bitPattern)
    }

    /// The twin of the stem on a normalised picture.
    func naiveForward(_ picture: Tensor) -> Tensor {
        Naive.quantizedConv2d(
            naiveInput(picture), weight: weight, weightScales: stem.weightScales, bias: accumulatorBias,
            outputScales: stem.outputScales, geometry: geometry, clip: stem.clip, destination: stem.destination)
    }

    /// The oneDNN convolution for `batch` pictures, reading u8 channels-last.
    func makeConvolution(batch: Int, stream: DNNL.Stream) throws -> Convolution {
        try stem.makeConvolution(
            source: MemoryDescriptor(
                shape: [batch, Self.channels, paddedHeight, paddedWidth], format: .channelsLast, dataType: .u8),
            weight: weight, bias: accumulatorBias, geometry: geometry, stream: stream)
    }

    /// Fills `input` (the convolution's source, u8 channels-last) for the first time: 127 at the
    /// colour channels of the padding, 0 everywhere else; the pictures' bytes then go into the
    /// colour channels inside (`write`).
    func prepare(_ input: UnsafeMutableRawBufferPointer, batch: Int) {
        let bytes = input.bindMemory(to: UInt8.self)
        for image in 0..<batch {
            for y in 0..<paddedHeight {
                for x in 0..<paddedWidth {
                    let inside = y >= top && y < top + height && x >= left && x < left + width
                    let pixel = ((image * paddedHeight + y) * paddedWidth + x) * Self.channels
                    for c in 0..<Self.channels { bytes[pixel + c] = !inside && c % 2 == 0 ? 127 : 0 }
                }
            }
        }
    }

    /// Writes `picture`'s RGB24 bytes (H × W × 3) into image `index` of a prepared `input`.
    func write(rgb24 picture: UnsafeRawBufferPointer, into input: UnsafeMutableRawBufferPointer, index: Int) {
        precondition(
            picture.count == height * width * 3 && input.count >= (index + 1) * bytesPerImage,
            "Int8WidenedStem: a picture of \(picture.count) bytes, or no image \(index) in the input")
        guard let source = picture.bindMemory(to: UInt8.self).baseAddress,
            let destination = input.bindMemory(to: UInt8.self).baseAddress
        else { return }
        for y in 0..<height {
            var out = destination + ((index * paddedHeight + y + top) * paddedWidth + left) * Self.channels
            var from = source + y * width * 3
            for _ in 0..<width {
                out[0] = from[0]
                out[2] = from[1]
                out[4] = from[2]
                out += Self.channels
                from += 3
            }
        }
    }

    /// Writes normalised `pictures` ([N, 3, H, W]) into a prepared `input` (`byte` per value).
    func write(normalised pictures: Tensor, into input: UnsafeMutableRawBufferPointer) {
        precondition(
            pictures.shape == [pictures.shape[0], 3, height, width]
                && input.count == pictures.shape[0] * paddedHeight * paddedWidth * Self.channels,
            "Int8WidenedStem: pictures \(pictures.shape) for an input of \(input.count) bytes")
        let destination = input.bindMemory(to: UInt8.self)
        let plane = height * width
        pictures.withUnsafeBufferPointer { values in
            guard let values = values.baseAddress, let destination = destination.baseAddress else { return }
            for image in 0..<pictures.shape[0] {
                let (r, g, b) = (
                    values + image * 3 * plane, values + (image * 3 + 1) * plane, values + (image * 3 + 2) * plane
                )
                for y in 0..<height {
                    var out = destination + ((image * paddedHeight + y + top) * paddedWidth + left) * Self.channels
                    for x in (y * width)..<((y + 1) * width) {
                        out[0] = Self.byte(r[x])
                        out[2] = Self.byte(g[x])
                        out[4] = Self.byte(b[x])
                        out += Self.channels
                    }
                }
            }
        }
    }
}
