import TensorCore
// Folding BatchNorm into a convolution gives what convolution followed by BatchNorm gives, on
// seeded random data, including channels whose running variance is exactly zero.
import Testing

@testable import ConvNets

struct FoldedConvolutionTests {
    @Test(arguments: [1, 4])
    func foldEqualsConvolutionThenBatchNorm(groups: Int) {
        var rng = SeededRNG(seed: 7)
        let (c, o) = (8, 8)
        let input = Tensor.normal(shape: [2, c, 9, 9], using: &rng)
        let weight = Tensor.normal(shape: [o, c / groups, 3, 3], standardDeviation: 0.3, using: &rng)
        var variance = Tensor.uniform(shape: [o], 0.1, 2, using: &rng)
        variance[0] = 0
        let statistics = BatchNormStatistics(
            gamma: Tensor.normal(shape: [o], using: &rng), beta: Tensor.normal(shape: [o], using: &rng),
            mean: Tensor.normal(shape: [o], using: &rng), variance: variance)
        let geometry = Conv2DGeometry(
            strideH: 2, strideW: 2, padTop: 0, padBottom: 1, padLeft: 0, padRight: 1, groups: groups)
        let reference = statistics.apply(Naive.conv2d(input, weight: weight, geometry: geometry), epsilon: 1e-3)
        let folded = FoldedConvolution(
            weight: weight, batchNorm: statistics, epsilon: 1e-3, geometry: geometry, activation: .none)
        let comparison = TensorComparison(
            actual: folded.naiveForward(input), expected: reference, absoluteTolerance: 2e-4, relativeTolerance: 1e-5)
        #expect(comparison.passed, "\(comparison)")
    }

    @Test func relu6ClipsBothEnds() {
        let conv = FoldedConvolution(
            weight: Tensor(shape: [1, 1, 1, 1], storage: [1]), bias: Tensor(shape: [1], storage: [0]),
            geometry: Conv2DGeometry(), activation: .relu6)
        let out = conv.naiveForward(Tensor(shape: [1, 1, 1, 3], storage: [-2, 3, 9]))
        #expect(out.storage == [0, 3, 6])
    }
}
