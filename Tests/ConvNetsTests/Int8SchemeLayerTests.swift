import TensorCore
// `Int8Scheme.Layer` with 7-bit weights (`weightLevels` 63, what the project 1x1s get on CPUs
// without VNNI): every rounded weight stays in [−64, 63], where 8-bit weights of the same layer go
// past it, and each weight is within half a step of its f32 value unless it was clipped. The test
// machines have VNNI, so the networks never build such a layer here; this builds one directly.
import Testing

@testable import ConvNets

struct Int8SchemeLayerTests {
    func layer(levels: Float) -> Int8Scheme.Layer {
        var rng = SeededRNG(seed: 29)
        var weight = Tensor.normal(shape: [8, 16, 1, 1], standardDeviation: 0.2, using: &rng)
        weight[0, 3, 0, 0] = 2  // one outlier, which a scale below max |w| clips
        let convolution = FoldedConvolution(
            weight: weight, bias: Tensor(zeros: [8]), geometry: Conv2DGeometry(), activation: .none)
        return Int8Scheme.Layer(
            convolution: convolution, source: .u8, sourceScales: Array(repeating: 255 / 6, count: 16),
            sourceMeans: Array(repeating: 0.5, count: 16), destination: .s8,
            destinationScales: Array(repeating: 20, count: 8), residual: false, weightLevels: levels)
    }

    /// weight[o, i] · scale[o], rounded as oneDNN's weight reorder rounds it (to nearest, s8).
    func levelsUsed(_ layer: Int8Scheme.Layer) -> [Float] {
        let perOutput = layer.weight.count / layer.weightScales.count
        return layer.weight.storage.enumerated().map { index, w in
            Int8Scheme.Layer.roundedS8(w * layer.weightScales[index / perOutput])
        }
    }

    @Test func sevenBitWeightsStayWithinTheirLevels() {
        let seven = layer(levels: 63)
        let eight = layer(levels: 127)
        #expect(levelsUsed(seven).allSatisfy { (-64...63).contains($0) })
        #expect(levelsUsed(eight).contains { abs($0) > 64 }, "8-bit weights use the wider range")
        // Unclipped weights are within half a step of their (input-scale-folded) f32 values.
        let perOutput = seven.weight.count / seven.weightScales.count
        let unchanged = zip(seven.weight.storage, eight.weight.storage).enumerated().filter { index, pair in
            let scale = seven.weightScales[index / perOutput]
            return abs(pair.1 * scale) < 63
                && abs(Int8Scheme.Layer.roundedS8(pair.0 * scale) / scale - pair.1)
                    > 0.5 / scale + 1e-6
        }
        #expect(unchanged.isEmpty, "\(unchanged.count) weights moved by more than half a step")
    }
}
