// oneDNN pooling against the naive twins on seeded random input: max (exact: it only selects
// values), average with padding counted and not counted, global average, and global average read
// straight from a convolution's blocked output layout, as the backbone's feature pooling does.
//
// Shapes: N batch, C channels, H×W input, KH×KW window.
import DNNL
import TensorCore
import Testing

struct PoolingTests {
    let input: Tensor = {
        var rng = SeededRNG(seed: 31)
        return Tensor.uniform(shape: [2, 11, 9, 10], -1, 1, using: &rng)
    }()

    func pool(_ kind: Pooling.Kind, _ geometry: Pool2DGeometry) throws -> Tensor {
        let device = try Device()
        let pooling = try Pooling(
            source: MemoryDescriptor(shape: input.shape), kind: kind, geometry: geometry, engine: device.engine)
        return try pooling.apply(to: input, stream: device.stream)
    }

    @Test func maxPoolingIsExact() throws {
        let geometry = Pool2DGeometry(kernel: 3, stride: 2, padding: 1)
        expectEqual(try pool(.max, geometry), Naive.maxPool2d(input, geometry: geometry), "max 3x3 s2 p1")
        let uneven = Pool2DGeometry(kernelH: 2, kernelW: 3, strideH: 2, strideW: 1, padBottom: 1, padRight: 2)
        expectEqual(try pool(.max, uneven), Naive.maxPool2d(input, geometry: uneven), "max 2x3 asymmetric padding")
    }

    @Test func averagePoolingCountingPadding() throws {
        let geometry = Pool2DGeometry(kernel: 3, stride: 2, padding: 1)
        let expected = Naive.avgPool2d(input, geometry: geometry, countIncludesPadding: true)
        let actual = try pool(.average(countIncludesPadding: true), geometry)
        // A 9-term sum, then a division: bounded by (9 + 2)·u·max|x|.
        expectClose(actual, expected, absoluteTolerance: errorBound(terms: 9, magnitude: input), "avg include padding")
    }

    @Test func averagePoolingNotCountingPadding() throws {
        let geometry = Pool2DGeometry(
            kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padTop: 0, padBottom: 1, padLeft: 0, padRight: 1)
        let expected = Naive.avgPool2d(input, geometry: geometry, countIncludesPadding: false)
        let actual = try pool(.average(countIncludesPadding: false), geometry)
        expectClose(actual, expected, absoluteTolerance: errorBound(terms: 9, magnitude: input), "avg exclude padding")
    }

    @Test func globalAveragePooling() throws {
        let device = try Device()
        let pooling = try Pooling.globalAverage(source: MemoryDescriptor(shape: input.shape), engine: device.engine)
        #expect(pooling.destinationDescriptor.shape == [2, 11, 1, 1])
        let actual = try pooling.apply(to: input, stream: device.stream)
        expectClose(
            actual, Naive.globalAvgPool2d(input), absoluteTolerance: errorBound(terms: 90, magnitude: input),
            "global average")
    }

    @Test func globalAverageOfABlockedConvolutionOutput() throws {
        var rng = SeededRNG(seed: 32)
        let w = Tensor.uniform(shape: [20, 11, 1, 1], -1, 1, using: &rng)
        let device = try Device()
        let convolution = try Convolution(
            source: MemoryDescriptor(shape: input.shape, format: .any), weight: w, stream: device.stream)
        let pooling = try Pooling.globalAverage(source: convolution.destinationDescriptor, engine: device.engine)
        let source = try Memory(input, descriptor: convolution.sourceDescriptor, stream: device.stream)
        let features = try convolution.makeDestination()
        let pooled = try pooling.makeDestination()
        try convolution.execute(source: source, destination: features, stream: device.stream)
        try pooling.execute(source: features, destination: pooled, stream: device.stream)
        let actual = try pooled.tensor(stream: device.stream)

        let expected = Naive.globalAvgPool2d(Naive.conv2d(input, weight: w))
        let magnitude = Naive.conv2d(input.absolute, weight: w.absolute)
        expectClose(
            actual, expected, absoluteTolerance: errorBound(terms: 11 + 90, magnitude: magnitude),
            "conv → global average in \(convolution.destinationDescriptor.layoutName)")
    }
}
