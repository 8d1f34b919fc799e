// oneDNN inner product against its naive twin, x·Wᵀ + b by `Naive.matmul`, on seeded random
// input: a plain `[N, C]` source, and a `[N, C, 1, 1]` pooled feature map read in the blocked
// layout a global pooling produced (the classifier head of a backbone).
//
// Shapes: N batch, C input features, O outputs.
import DNNL
import TensorCore
import Testing

struct InnerProductTests {
    /// x·Wᵀ + b with W `[O, C]` and x `[N, C]`.
    func linear(_ x: Tensor, _ w: Tensor, _ b: Tensor) -> Tensor {
        let product = Naive.matmul(x, w, transposeB: true)
        return Tensor(shape: product.shape) { product.storage[$0] + b.storage[$0 % b.count] }
    }

    @Test func matrixSourceWithBias() throws {
        var rng = SeededRNG(seed: 41)
        let x = Tensor.uniform(shape: [5, 37], -1, 1, using: &rng)
        let w = Tensor.uniform(shape: [19, 37], -1, 1, using: &rng)
        let b = Tensor.uniform(shape: [19], -1, 1, using: &rng)
        let device = try Device()
        let layer = try InnerProduct(
            source: MemoryDescriptor(shape: x.shape), weight: w, bias: b, stream: device.stream)
        let actual = try layer.apply(to: x, stream: device.stream)
        #expect(actual.shape == [5, 19])
        expectClose(
            actual, linear(x, w, b),
            absoluteTolerance: errorBound(terms: 37, magnitude: linear(x.absolute, w.absolute, b.absolute)),
            "inner product [5, 37] x [19, 37]ᵀ [\(layer.implementationName)]")
    }

    @Test func pooledFeatureMapInBlockedLayout() throws {
        var rng = SeededRNG(seed: 42)
        let image = Tensor.uniform(shape: [3, 20, 4, 4], -1, 1, using: &rng)
        let w = Tensor.uniform(shape: [7, 20, 1, 1], -1, 1, using: &rng)
        let b = Tensor.uniform(shape: [7], -1, 1, using: &rng)
        let device = try Device()
        // Put the image in the layout a convolution would leave it in, then pool and classify.
        let blocked = try Convolution(
            source: MemoryDescriptor(shape: image.shape, format: .any),
            weight: Tensor(shape: [20, 1, 1, 1], storage: Array(repeating: 1, count: 20)),
            geometry: Conv2DGeometry(groups: 20), stream: device.stream
        ).destinationDescriptor
        let pooling = try Pooling.globalAverage(source: blocked, engine: device.engine)
        let head = try InnerProduct(
            source: pooling.destinationDescriptor, weight: w, bias: b, stream: device.stream)
        let source = try Memory(image, descriptor: blocked, stream: device.stream)
        let pooled = try pooling.makeDestination()
        let logits = try head.makeDestination()
        try pooling.execute(source: source, destination: pooled, stream: device.stream)
        try head.execute(source: pooled, destination: logits, stream: device.stream)
        let actual = try logits.tensor(stream: device.stream)

        let features = Naive.globalAvgPool2d(image).reshaped([3, 20])
        let flatW = w.reshaped([7, 20])
        let magnitude = linear(Naive.globalAvgPool2d(image.absolute).reshaped([3, 20]), flatW.absolute, b.absolute)
        expectClose(
            actual, linear(features, flatW, b), absoluteTolerance: errorBound(terms: 16 + 20, magnitude: magnitude),
            "global average (\(blocked.layoutName)) → inner product")
    }
}
