// oneDNN's int8 convolution against its naive twin `Naive.quantizedConv2d`, in the four forms the
// int8 EfficientNet-Lite0 uses: the stem (s8 image, 3x3 stride 2, u8 out clipped as ReLU6), an
// expand 1x1 (u8 → u8), a depthwise 3x3 and 5x5 (u8 → u8), a project 1x1 (u8 → s8) with the
// residual added as a `sum` post-op over an s8 destination, and the head (s8 → f32 with ReLU6).
// The twin rounds and saturates exactly as oneDNN's reference does, and with VNNI the JIT kernels
// give the same integers (measured: every output equal). u8 sources hold 7-bit values (0...127),
// as the network's activations do: without VNNI oneDNN multiplies u8 by s8 with vpmaddubsw, whose
// pairwise sums would saturate on 8-bit ones. Without VNNI an s8 source is shifted to u8 and the
// weights are kept at half scale (7 bits), so each weight may be off by one unit of the full scale:
// the bound is then output scale × Σ|x| + 1 per output.
import DNNL
import TensorCore
import Testing

struct QuantizedConvolutionTests {
    struct Case {
        var label: String
        var input: [Int]
        var weight: [Int]
        var geometry = Conv2DGeometry()
        var source: MemoryDescriptor.DataType
        var destination: MemoryDescriptor.DataType
        var clip: ClosedRange<Float>?
        var residual = false
    }

    static let cases: [Case] = [
        Case(
            label: "stem", input: [2, 3, 17, 17], weight: [13, 3, 3, 3],
            geometry: Conv2DGeometry(strideH: 2, strideW: 2, padTop: 0, padBottom: 1, padLeft: 0, padRight: 1),
            source: .s8, destination: .u8, clip: 0...255),
        Case(
            label: "expand", input: [2, 19, 9, 9], weight: [37, 19, 1, 1], source: .u8, destination: .u8, clip: 0...255),
        Case(
            label: "depthwise 3x3", input: [2, 37, 9, 9], weight: [37, 1, 3, 3],
            geometry: Conv2DGeometry(
                strideH: 1, strideW: 1, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, groups: 37),
            source: .u8, destination: .u8, clip: 0...255),
        Case(
            label: "depthwise 5x5 stride 2", input: [2, 24, 11, 11], weight: [24, 1, 5, 5],
            geometry: Conv2DGeometry(
                strideH: 2, strideW: 2, padTop: 1, padBottom: 2, padLeft: 1, padRight: 2, groups: 24),
            source: .u8, destination: .u8, clip: 0...255),
        Case(label: "project", input: [2, 37, 9, 9], weight: [19, 37, 1, 1], source: .u8, destination: .s8),
        Case(
            label: "project + residual", input: [2, 37, 9, 9], weight: [19, 37, 1, 1], source: .u8, destination: .s8,
            residual: true),
        Case(
            label: "head", input: [2, 19, 5, 5], weight: [45, 19, 1, 1], source: .s8, destination: .f32, clip: 0...6),
    ]

    @Test(arguments: cases.indices)
    func int8ConvolutionMatchesItsTwin(index: Int) throws {
        let c = Self.cases[index]
        var rng = SeededRNG(seed: UInt64(100 + index))
        let range: ClosedRange<Float> = c.source == .u8 ? 0...127 : -128...127
        let x = Tensor.uniform(shape: c.input, range.lowerBound, range.upperBound, using: &rng).map {
            $0.rounded()
        }
        let w = Tensor.uniform(shape: c.weight, -0.5, 0.5, using: &rng)
        let outChannels = c.weight[0]
        // Per-channel symmetric weight scales, as the int8 network uses: 127 / max |w[o]|.
        let perChannel = c.weight[1...].reduce(1, *)
        let weightScales = (0..<outChannels).map { o in
            127 / (w.storage[(o * perChannel)..<((o + 1) * perChannel)].map(abs).max() ?? 1)
        }
        let terms = Float(perChannel)
        // Output scales that spread the destination over its range (seeded, per channel).
        let outputScales = (0..<outChannels).map { o in
            Float.random(in: 0.6...1.4, using: &rng) * (c.destination == .f32 ? 0.01 : 4) / (weightScales[o] * terms)
        }
        let bias = Tensor.uniform(shape: [outChannels], -3000, 3000, using: &rng)
        let device = try Device()
        let convolution = try Convolution(
            source: MemoryDescriptor(shape: c.input, format: .any, dataType: c.source), weight: w, bias: bias,
            geometry: c.geometry,
            postOps: (c.clip.map { [PostOp.clip(lower: $0.lowerBound, upper: $0.upperBound)] } ?? [])
                + (c.residual ? [.sum(scale: 1)] : []),
            quantization: ConvolutionQuantization(
                source: c.source, destination: c.destination, weightScales: weightScales, outputScales: outputScales),
            stream: device.stream)
        let destinationType: Naive.IntegerType? =
            switch c.destination {
            case .u8: .u8
            case .s8: .s8
            default: nil
            }
        var residual: Tensor?
        if c.residual {
            let shape = convolution.destinationDescriptor.shape
            residual = Tensor.uniform(shape: shape, -60, 60, using: &rng).map { $0.rounded() }
        }
        let expected = Naive.quantizedConv2d(
            x, weight: w, weightScales: weightScales, bias: bias, outputScales: outputScales, geometry: c.geometry,
            clip: c.clip, residual: residual.map { ($0, 1) }, destination: destinationType)
        let source = try Memory(x, descriptor: convolution.sourceDescriptor, stream: device.stream)
        let output =
            try residual.map { try Memory($0, descriptor: convolution.destinationDescriptor, stream: device.stream) }
            ?? convolution.makeDestination()
        try convolution.execute(source: source, destination: output, stream: device.stream)
        let actual = try output.tensor(stream: device.stream)
        #expect(actual.shape == expected.shape)
        let label = "\(c.label) [\(convolution.implementationName)]"
        let halfScaleWeights =
            c.source == .s8 && !convolution.implementationName.contains("vnni")
            && !convolution.implementationName.contains("amx")
        // Per output: one unit of the destination (f32: 1e-5 of the largest), or the half-scale bound.
        let unit: Float = c.destination == .f32 ? (expected.storage.map(abs).max() ?? 1) * 1e-5 : 1
        let sumOfInputs = Naive.conv2d(x.absolute, weight: Tensor(repeating: 1, shape: c.weight), geometry: c.geometry)
        let plane = expected.shape[2] * expected.shape[3]
        var outside = 0
        var differing = 0
        for i in expected.storage.indices {
            let difference = abs(actual.storage[i] - expected.storage[i])
            let scale = outputScales[(i / plane) % outChannels]
            let bound = halfScaleWeights ? scale * sumOfInputs.storage[i] + unit : unit
            if difference > bound { outside += 1 }
            if difference > (c.destination == .f32 ? unit : 0) { differing += 1 }
        }
        #expect(outside == 0, "\(label): \(outside) outputs outside the bound")
        if !halfScaleWeights {
            #expect(differing * 100 <= expected.count, "\(label): \(differing) of \(expected.count) differ")
        }
        // Not a test that could pass on all zeros: the outputs must use the destination's range.
        let spread = Set(expected.storage).count
        #expect(spread > 20, "\(label): only \(spread) distinct outputs")
    }
}
