// Convolutions chained the way the CNN runs them: the image is reordered into oneDNN's layout
// once, each layer reads the previous layer's destination memory as is (its source layout is the
// previous destination layout), and only the last output is reordered back to NCHW. The second
// test is an EfficientNet/MobileNet inverted-residual block whose projection adds the block input
// in place, writing over the input's own memory. Checked against the naive twins layer by layer.
//
// Shapes: N batch, C channels, H×W spatial; E expanded channels.
import DNNL
import TensorCore
import Testing

struct ConvolutionChainTests {
    @Test func twoLayersStayInOneDNNLayoutThenReorderOut() throws {
        var rng = SeededRNG(seed: 21)
        let x = Tensor.uniform(shape: [2, 3, 16, 16], -1, 1, using: &rng)
        let w1 = Tensor.uniform(shape: [16, 3, 3, 3], -1, 1, using: &rng)
        let b1 = Tensor.uniform(shape: [16], -1, 1, using: &rng)
        let w2 = Tensor.uniform(shape: [16, 1, 3, 3], -1, 1, using: &rng)
        let b2 = Tensor.uniform(shape: [16], -1, 1, using: &rng)
        let stem = Conv2DGeometry(strideH: 2, strideW: 2, padTop: 0, padBottom: 1, padLeft: 0, padRight: 1)
        let depthwise = Conv2DGeometry(padding: 1, groups: 16)
        let device = try Device()

        let layer1 = try Convolution(
            source: MemoryDescriptor(shape: x.shape, format: .any), weight: w1, bias: b1, geometry: stem,
            postOps: [.relu6], stream: device.stream)
        let layer2 = try Convolution(
            source: layer1.destinationDescriptor, weight: w2, bias: b2, geometry: depthwise, postOps: [.relu6],
            stream: device.stream)
        #expect(layer2.sourceDescriptor == layer1.destinationDescriptor)

        let input = try Memory(x, descriptor: layer1.sourceDescriptor, stream: device.stream)
        let middle = try layer1.makeDestination()
        let output = try layer2.makeDestination()
        try layer1.execute(source: input, destination: middle, stream: device.stream)
        try layer2.execute(source: middle, destination: output, stream: device.stream)
        let actual = try output.tensor(stream: device.stream)

        let h1 = Naive.relu6(Naive.conv2d(x, weight: w1, bias: b1, geometry: stem))
        let expected = Naive.relu6(Naive.conv2d(h1, weight: w2, bias: b2, geometry: depthwise))
        // Layer 1's error (27 terms) passes through layer 2's 9 taps; bound both by the magnitude of
        // the chain run on absolute values.
        let m1 = Naive.conv2d(x.absolute, weight: w1.absolute, bias: b1.absolute, geometry: stem)
        let m2 = Naive.conv2d(m1, weight: w2.absolute, bias: b2.absolute, geometry: depthwise)
        expectClose(
            actual, expected, absoluteTolerance: errorBound(terms: 27 + 9, magnitude: m2),
            "stem → depthwise in \(layer1.destinationDescriptor.layoutName)")
        expectClose(
            try middle.tensor(stream: device.stream), h1, absoluteTolerance: errorBound(terms: 27, magnitude: m1),
            "stem output")
    }

    @Test func invertedResidualBlockAddsInputInPlace() throws {
        var rng = SeededRNG(seed: 22)
        let (channels, expanded) = (12, 36)
        let x = Tensor.uniform(shape: [2, channels, 7, 7], -1, 1, using: &rng)
        let expandW = Tensor.uniform(shape: [expanded, channels, 1, 1], -0.5, 0.5, using: &rng)
        let depthW = Tensor.uniform(shape: [expanded, 1, 3, 3], -0.5, 0.5, using: &rng)
        let projectW = Tensor.uniform(shape: [channels, expanded, 1, 1], -0.5, 0.5, using: &rng)
        let projectB = Tensor.uniform(shape: [channels], -0.5, 0.5, using: &rng)
        let depthwise = Conv2DGeometry(padding: 1, groups: expanded)
        let device = try Device()

        let expand = try Convolution(
            source: MemoryDescriptor(shape: x.shape, format: .any), weight: expandW, postOps: [.relu6],
            stream: device.stream)
        let depth = try Convolution(
            source: expand.destinationDescriptor, weight: depthW, geometry: depthwise, postOps: [.relu6],
            stream: device.stream)
        // The projection writes into the block input's memory, so it must produce that layout.
        let project = try Convolution(
            source: depth.destinationDescriptor, weight: projectW, bias: projectB, postOps: [.residualAdd],
            destination: expand.sourceDescriptor, stream: device.stream)
        #expect(project.destinationDescriptor == expand.sourceDescriptor)

        let block = try Memory(x, descriptor: expand.sourceDescriptor, stream: device.stream)
        let wide = try expand.makeDestination()
        let wideDepth = try depth.makeDestination()
        try expand.execute(source: block, destination: wide, stream: device.stream)
        try depth.execute(source: wide, destination: wideDepth, stream: device.stream)
        try project.execute(source: wideDepth, destination: block, stream: device.stream)
        let actual = try block.tensor(stream: device.stream)

        let e = Naive.relu6(Naive.conv2d(x, weight: expandW))
        let d = Naive.relu6(Naive.conv2d(e, weight: depthW, geometry: depthwise))
        let expected = Naive.conv2d(d, weight: projectW, bias: projectB) + x
        let me = Naive.conv2d(x.absolute, weight: expandW.absolute)
        let md = Naive.conv2d(me, weight: depthW.absolute, geometry: depthwise)
        let magnitude = Naive.conv2d(md, weight: projectW.absolute, bias: projectB.absolute) + x.absolute
        expectClose(
            actual, expected, absoluteTolerance: errorBound(terms: channels + 9 + expanded, magnitude: magnitude),
            "expand → depthwise → project + input, in \(expand.sourceDescriptor.layoutName)")
    }
}
