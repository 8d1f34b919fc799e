// Naive.conv2d against hand-computed cases (stride, padding, dilation, bias, channels), then
// grouped and depthwise convolution against the same op run group by group, and a 1×1
// convolution against a matrix product.
import Testing

@testable import TensorCore

struct NaiveConv2DTests {
    // x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], w = [[1, 2], [3, 4]]
    let x = Tensor(shape: [1, 1, 3, 3], storage: [1, 2, 3, 4, 5, 6, 7, 8, 9])
    let w = Tensor(shape: [1, 1, 2, 2], storage: [1, 2, 3, 4])

    @Test func handWorkedValidConvolutionWithBias() {
        // (0,0): 1·1 + 2·2 + 3·4 + 4·5 = 37; (0,1): 2 + 6 + 15 + 24 = 47;
        // (1,0): 4 + 10 + 21 + 32 = 67; (1,1): 5 + 12 + 24 + 36 = 77; plus 0.5.
        let y = Naive.conv2d(x, weight: w, bias: Tensor(shape: [1], storage: [0.5]))
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.storage == [37.5, 47.5, 67.5, 77.5])
    }

    @Test func handWorkedStrideAndPadding() {
        // Padding 1, stride 2: windows start at -1 and 1 in each direction.
        // (0,0): only w[1,1]·x[0,0] = 4; (0,1): w[1,0]·x[0,1] + w[1,1]·x[0,2] = 6 + 12 = 18;
        // (1,0): w[0,1]·x[1,0] + w[1,1]·x[2,0] = 8 + 28 = 36; (1,1): all four taps = 77.
        let y = Naive.conv2d(x, weight: w, geometry: Conv2DGeometry(stride: 2, padding: 1))
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.storage == [4, 18, 36, 77])
    }

    @Test func handWorkedDilation() {
        // Dilation 2 spreads the 2×2 kernel over the corners: 1·1 + 2·3 + 3·7 + 4·9 = 64.
        let y = Naive.conv2d(x, weight: w, geometry: Conv2DGeometry(dilation: 2))
        #expect(y.shape == [1, 1, 1, 1])
        #expect(y.storage == [64])
    }

    @Test func handWorkedAsymmetricPadding() {
        // Padding only at the bottom and right (TensorFlow "same" with stride 2): 3×3 → 2×2.
        let geometry = Conv2DGeometry(strideH: 2, strideW: 2, padTop: 0, padBottom: 1, padLeft: 0, padRight: 1)
        let y = Naive.conv2d(x, weight: w, geometry: geometry)
        // (0,0): 37; (0,1): w[0,0]·3 + w[1,0]·6 = 3 + 18 = 21; (1,0): w[0,0]·7 + w[0,1]·8 = 23; (1,1): 9.
        #expect(y.storage == [37, 21, 23, 9])
        #expect(geometry.outputSize(height: 224, width: 224, kernelHeight: 3, kernelWidth: 3) == (112, 112))
    }

    @Test func channelsAreSummed() {
        // Two input channels, 1×1 kernel [2, -1]: y = 2·x0 - x1; two images in the batch.
        let input = Tensor(shape: [2, 2, 1, 2], storage: [1, 2, 10, 20, 3, 4, 30, 40])
        let weight = Tensor(shape: [1, 2, 1, 1], storage: [2, -1])
        let y = Naive.conv2d(input, weight: weight)
        #expect(y.shape == [2, 1, 1, 2])
        #expect(y.storage == [-8, -16, -24, -32])
    }

    @Test func groupedEqualsConvolutionPerGroup() {
        var rng = SeededRNG(seed: 11)
        let input = Tensor.normal(shape: [2, 4, 5, 6], using: &rng)
        let weight = Tensor.normal(shape: [6, 2, 3, 3], using: &rng)
        let bias = Tensor.normal(shape: [6], using: &rng)
        let geometry = Conv2DGeometry(stride: 2, padding: 1, groups: 2)
        let grouped = Naive.conv2d(input, weight: weight, bias: bias, geometry: geometry)
        var perGroup: [Tensor] = []
        for g in 0..<2 {
            let single = Conv2DGeometry(stride: 2, padding: 1)
            perGroup.append(
                Naive.conv2d(
                    channels(input, 2 * g..<2 * g + 2), weight: channels(weight, 0..<2, axisOf: 3 * g..<3 * g + 3),
                    bias: Tensor(shape: [3], storage: Array(bias.storage[3 * g..<3 * g + 3])), geometry: single))
        }
        let expected = concatenateChannels(perGroup)
        let comparison = TensorComparison(actual: grouped, expected: expected, absoluteTolerance: 0)
        #expect(comparison.passed, "\(comparison)")
    }

    @Test func depthwiseEqualsOneConvolutionPerChannel() {
        var rng = SeededRNG(seed: 12)
        let input = Tensor.normal(shape: [1, 3, 7, 7], using: &rng)
        // Channel multiplier 2: output channel o reads input channel o / 2.
        let weight = Tensor.normal(shape: [6, 1, 3, 3], using: &rng)
        let geometry = Conv2DGeometry(stride: 1, padding: 1, dilation: 2, groups: 3)
        let depthwise = Naive.conv2d(input, weight: weight, geometry: geometry)
        #expect(depthwise.shape == [1, 6, 5, 5])
        let perChannel = (0..<6).map { o in
            Naive.conv2d(
                channels(input, o / 2..<o / 2 + 1), weight: channels(weight, 0..<1, axisOf: o..<o + 1),
                geometry: Conv2DGeometry(stride: 1, padding: 1, dilation: 2))
        }
        let comparison = TensorComparison(
            actual: depthwise, expected: concatenateChannels(perChannel), absoluteTolerance: 0)
        #expect(comparison.passed, "\(comparison)")
    }

    @Test func pointwiseEqualsMatrixProduct() {
        var rng = SeededRNG(seed: 13)
        let input = Tensor.normal(shape: [1, 5, 4, 3], using: &rng)
        let weight = Tensor.normal(shape: [7, 5, 1, 1], using: &rng)
        let y = Naive.conv2d(input, weight: weight)
        let product = Naive.matmul(weight.reshaped([7, 5]), input.reshaped([5, 12]))
        let comparison = TensorComparison(actual: y.reshaped([7, 12]), expected: product, absoluteTolerance: 1e-6)
        #expect(comparison.passed, "\(comparison)")
    }

    /// Channels `range` (axis 1) of an NCHW tensor, or for weights the output channels `axisOf`
    /// (axis 0) and input channels `range` (axis 1).
    private func channels(_ t: Tensor, _ range: Range<Int>, axisOf outer: Range<Int>? = nil) -> Tensor {
        let outerRange = outer ?? 0..<t.shape[0]
        let shape = [outerRange.count, range.count, t.shape[2], t.shape[3]]
        return Tensor(shape: shape) { i in
            let n = i / (range.count * shape[2] * shape[3])
            let rest = i % (range.count * shape[2] * shape[3])
            let c = rest / (shape[2] * shape[3])
            let hw = rest % (shape[2] * shape[3])
            return t[outerRange.lowerBound + n, range.lowerBound + c, hw / shape[3], hw % shape[3]]
        }
    }

    /// Concatenation of NCHW tensors along channels.
    private func concatenateChannels(_ parts: [Tensor]) -> Tensor {
        let (batch, height, width) = (parts[0].shape[0], parts[0].shape[2], parts[0].shape[3])
        var storage: [Float] = []
        for n in 0..<batch {
            for part in parts {
                let plane = part.shape[1] * height * width
                storage += part.storage[n * plane..<(n + 1) * plane]
            }
        }
        return Tensor(shape: [batch, parts.map { $0.shape[1] }.reduce(0, +), height, width], storage: storage)
    }
}
