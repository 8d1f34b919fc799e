// A 1x1 convolution with a fused depthwise post-op (expand 1x1 + ReLU6 → depthwise 3x3 + ReLU6,
// the front of an inverted-residual block) against the naive twin of the two layers and against
// the same two layers as separate oneDNN primitives. oneDNN's JIT fusion on AVX2 only takes an
// intermediate larger than twice the L2 caches of its threads, so the shapes are the size of
// EfficientNet-Lite0's early blocks; the stride-2 case has TensorFlow "SAME" padding (0 before,
// 1 after), which the post-op expresses as padding-left 0 with the output ⌈H/2⌉.
//
// Shapes: N batch, C input channels, E expanded channels, H×W input; the output is
// [N, E, ⌈H/s⌉, ⌈W/s⌉].
import DNNL
import TensorCore
import Testing

struct FusedDepthwiseConvolutionTests {
    /// Fuses expand (C→E, 1x1, bias, ReLU6) with a 3x3 depthwise of `stride` and top/left padding
    /// `paddingLeft` (bias, ReLU6) and checks the fused output against the twin and the unfused pair.
    func check(input: [Int], expanded: Int, stride: Int, paddingLeft: Int, seed: UInt64) throws {
        var rng = SeededRNG(seed: seed)
        let channels = input[1]
        let x = Tensor.uniform(shape: input, -1, 1, using: &rng)
        let expandW = Tensor.uniform(shape: [expanded, channels, 1, 1], -0.5, 0.5, using: &rng)
        let expandB = Tensor.uniform(shape: [expanded], -0.5, 0.5, using: &rng)
        let depthW = Tensor.uniform(shape: [expanded, 1, 3, 3], -0.5, 0.5, using: &rng)
        let depthB = Tensor.uniform(shape: [expanded], -0.5, 0.5, using: &rng)
        let (height, width) = (input[2], input[3])
        let paddingAfter = { (size: Int) in ((size + stride - 1) / stride - 1) * stride + 3 - size - paddingLeft }
        let depthwise = Conv2DGeometry(
            strideH: stride, strideW: stride, padTop: paddingLeft, padBottom: paddingAfter(height),
            padLeft: paddingLeft, padRight: paddingAfter(width), groups: expanded)
        let device = try Device()

        let fused = try Convolution(
            source: MemoryDescriptor(shape: input, format: .any), weight: expandW, bias: expandB,
            postOps: [.relu6, .depthwise(kernel: 3, stride: stride, paddingLeft: paddingLeft), .relu6],
            depthwise: (depthW, depthB), stream: device.stream)
        let actual = try fused.apply(to: x, stream: device.stream)

        let e = Naive.relu6(Naive.conv2d(x, weight: expandW, bias: expandB))
        let expected = Naive.relu6(Naive.conv2d(e, weight: depthW, bias: depthB, geometry: depthwise))
        let me = Naive.conv2d(x.absolute, weight: expandW.absolute, bias: expandB.absolute)
        let magnitude = Naive.conv2d(me, weight: depthW.absolute, bias: depthB.absolute, geometry: depthwise)
        let tolerance = errorBound(terms: channels + 9, magnitude: magnitude, extraRoundings: 4)
        let label =
            "1x1 \(channels)→\(expanded) + dw 3x3 s\(stride) pl\(paddingLeft) on \(input) [\(fused.implementationName)]"
        let comparison = TensorComparison(actual: actual, expected: expected, absoluteTolerance: tolerance)
        print("\(label): max |diff| to the naive twin \(comparison.maxAbsDifference) (tolerance \(tolerance))")
        #expect(actual.shape == [input[0], expanded, (height + stride - 1) / stride, (width + stride - 1) / stride])
        #expect(comparison.passed, "\(label) vs naive: \(comparison)")

        let expand = try Convolution(
            source: fused.sourceDescriptor, weight: expandW, bias: expandB, postOps: [.relu6], stream: device.stream)
        let depth = try Convolution(
            source: expand.destinationDescriptor, weight: depthW, bias: depthB, geometry: depthwise,
            postOps: [.relu6], stream: device.stream)
        let source = try Memory(x, descriptor: expand.sourceDescriptor, stream: device.stream)
        let wide = try expand.makeDestination()
        let output = try depth.makeDestination()
        try expand.execute(source: source, destination: wide, stream: device.stream)
        try depth.execute(source: wide, destination: output, stream: device.stream)
        let unfused = try output.tensor(stream: device.stream)
        expectClose(actual, unfused, absoluteTolerance: tolerance, "\(label) vs unfused oneDNN")
        #expect(fused.destinationDescriptor.shape == depth.destinationDescriptor.shape)
    }

    @Test func strideOnePaddingOne() throws {
        // Intermediate 160×64×64 floats = 2.6 MB.
        try check(input: [1, 24, 64, 64], expanded: 160, stride: 1, paddingLeft: 1, seed: 31)
    }

    @Test func strideTwoSamePadding() throws {
        // EfficientNet-Lite0's block 1 on one image: 16→96 at 112x112, depthwise s2 to 56x56.
        try check(input: [1, 16, 112, 112], expanded: 96, stride: 2, paddingLeft: 0, seed: 32)
    }

    @Test func smallIntermediateStillComputesTheSameValues() throws {
        // Below oneDNN's size threshold for the JIT fusion (it picks `ref_fused_convolution`, which
        // runs the two JIT kernels one after the other through a buffer): the values must agree.
        try check(input: [1, 8, 10, 10], expanded: 16, stride: 1, paddingLeft: 1, seed: 33)
    }
}
