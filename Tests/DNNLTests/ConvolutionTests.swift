// oneDNN convolution against its naive twin `Naive.conv2d` on seeded random input: plain, strided
// with TensorFlow-style asymmetric padding, dilated, grouped and depthwise, with fused ReLU6 and
// residual add, and chains that keep activations in oneDNN's chosen layout between layers.
// Channel counts are deliberately not multiples of 8 or 16, so blocked layouts carry padding.
//
// Shapes: N batch, C input channels, O output channels, G groups, H×W input, KH×KW kernel.
import DNNL
import TensorCore
import Testing

struct ConvolutionTests {
    /// Runs the oneDNN convolution on `input` and compares it with the twin (plus `residual`, then
    /// `activation`), with the error bound of a (C/G)·KH·KW-term sum.
    func check(
        input: [Int], weight: [Int], geometry: Conv2DGeometry, postOps: [PostOp] = [], residual: Bool = false,
        seed: UInt64, sourceLayout: MemoryDescriptor.Format = .any, label: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var rng = SeededRNG(seed: seed)
        let x = Tensor.uniform(shape: input, -1, 1, using: &rng)
        let w = Tensor.uniform(shape: weight, -1, 1, using: &rng)
        let b = Tensor.uniform(shape: [weight[0]], -1, 1, using: &rng)
        let device = try Device()
        let convolution = try Convolution(
            source: MemoryDescriptor(shape: input, format: sourceLayout), weight: w, bias: b, geometry: geometry,
            postOps: postOps, stream: device.stream)
        var expected = Naive.conv2d(x, weight: w, bias: b, geometry: geometry)
        var magnitude = Naive.conv2d(x.absolute, weight: w.absolute, bias: b.absolute, geometry: geometry)
        let r = Tensor.uniform(shape: expected.shape, -1, 1, using: &rng)
        for op in postOps {
            switch op {
            case .relu: expected = Naive.relu(expected)
            case .relu6: expected = Naive.relu6(expected)
            case .clip(let lower, let upper): expected = expected.map { min(max($0, lower), upper) }
            case .sum(let scale, _):
                expected = expected + scale * r
                magnitude = magnitude + abs(scale) * r.absolute
            case .depthwise:
                Issue.record("check: a fused depthwise is tested in FusedDepthwiseConvolutionTests")
            }
        }
        let actual = try convolution.apply(to: x, residual: residual ? r : nil, stream: device.stream)
        let terms = weight[1] * weight[2] * weight[3]
        expectClose(
            actual, expected, absoluteTolerance: errorBound(terms: terms, magnitude: magnitude),
            "\(label) [\(convolution.implementationName), src \(convolution.sourceDescriptor.layoutName)]",
            sourceLocation: sourceLocation)
    }

    @Test func regularConvolutionWithBias() throws {
        try check(
            input: [2, 5, 9, 11], weight: [7, 5, 3, 3], geometry: Conv2DGeometry(padding: 1), seed: 1,
            label: "3x3 pad 1")
    }

    @Test func regularConvolutionFromPlainNCHWSource() throws {
        try check(
            input: [1, 3, 12, 10], weight: [16, 3, 3, 3], geometry: Conv2DGeometry(stride: 2, padding: 1), seed: 2,
            sourceLayout: .plain, label: "RGB stem, NCHW source")
    }

    @Test func stridedConvolutionWithAsymmetricPadding() throws {
        // TensorFlow "SAME" for stride 2 on an even input: 0 before, 1 after.
        let same = Conv2DGeometry(strideH: 2, strideW: 2, padTop: 0, padBottom: 1, padLeft: 0, padRight: 1)
        try check(input: [2, 6, 10, 10], weight: [9, 6, 3, 3], geometry: same, seed: 3, label: "3x3 s2 SAME")
        // 5×5 kernel, stride 2, different padding in each direction and side.
        let uneven = Conv2DGeometry(strideH: 2, strideW: 1, padTop: 1, padBottom: 2, padLeft: 2, padRight: 0)
        try check(input: [1, 4, 11, 9], weight: [5, 4, 5, 5], geometry: uneven, seed: 4, label: "5x5 uneven")
    }

    @Test func dilatedConvolution() throws {
        try check(
            input: [1, 4, 12, 12], weight: [6, 4, 3, 3], geometry: Conv2DGeometry(padding: 2, dilation: 2), seed: 5,
            label: "3x3 dilation 2")
    }

    @Test func groupedConvolution() throws {
        try check(
            input: [2, 8, 7, 7], weight: [12, 2, 3, 3], geometry: Conv2DGeometry(padding: 1, groups: 4), seed: 6,
            label: "4 groups")
    }

    @Test func depthwiseConvolution() throws {
        try check(
            input: [2, 13, 9, 9], weight: [13, 1, 3, 3], geometry: Conv2DGeometry(padding: 1, groups: 13), seed: 7,
            label: "depthwise 3x3")
        let same = Conv2DGeometry(
            strideH: 2, strideW: 2, padTop: 1, padBottom: 2, padLeft: 1, padRight: 2, groups: 24)
        try check(
            input: [1, 24, 12, 12], weight: [24, 1, 5, 5], geometry: same, seed: 8, label: "depthwise 5x5 s2 SAME")
    }

    @Test func fusedReLU6ClipsBothEnds() throws {
        // Weights in [-1, 1) over 6·9 = 54 taps give pre-activations well outside [0, 6].
        var rng = SeededRNG(seed: 9)
        let preActivation = Naive.conv2d(
            Tensor.uniform(shape: [2, 6, 8, 8], -1, 1, using: &rng),
            weight: Tensor.uniform(shape: [10, 6, 3, 3], -1, 1, using: &rng),
            bias: Tensor.uniform(shape: [10], -1, 1, using: &rng), geometry: Conv2DGeometry(padding: 1))
        #expect(preActivation.storage.contains { $0 < 0 } && preActivation.storage.contains { $0 > 6 })
        try check(
            input: [2, 6, 8, 8], weight: [10, 6, 3, 3], geometry: Conv2DGeometry(padding: 1), postOps: [.relu6],
            seed: 9, label: "conv + ReLU6")
    }

    @Test func fusedResidualAdd() throws {
        try check(
            input: [2, 12, 6, 6], weight: [12, 12, 1, 1], geometry: Conv2DGeometry(), postOps: [.residualAdd],
            residual: true, seed: 10, label: "1x1 conv + residual")
    }

    @Test func postOpsApplyInOrder() throws {
        try check(
            input: [1, 8, 6, 6], weight: [8, 8, 3, 3], geometry: Conv2DGeometry(padding: 1),
            postOps: [.relu6, .sum(scale: 0.5)], residual: true, seed: 11, label: "ReLU6 then 0.5·residual")
        try check(
            input: [1, 8, 6, 6], weight: [8, 8, 3, 3], geometry: Conv2DGeometry(padding: 1),
            postOps: [.residualAdd, .relu], residual: true, seed: 12, label: "residual then ReLU")
    }
}
