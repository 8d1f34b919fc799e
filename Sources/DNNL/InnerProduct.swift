// A fully connected layer on oneDNN (inner product, forward inference): y = x·Wᵀ + b, created once
// for one source shape and executed many times. A 4-D source is flattened over (C, H, W) by oneDNN
// itself, so a classifier can read a pooled feature map in its blocked layout with no reorder. The
// weights are reordered once into the layout oneDNN chose. The naive twin is `Naive.matmul` with
// `transposeB` plus the bias.
//
// Shapes: N batch, C input features (or channels), O outputs. Source `[N, C]` or `[N, C, H, W]`;
// weight PyTorch `Linear` layout `[O, C]` (or `[O, C, H, W]` for a 4-D source); bias `[O]`;
// destination `[N, O]`.
import CDNNL
import TensorCore

/// An inner-product primitive with its weights and bias, for one source shape.
public final class InnerProduct {
    public let sourceDescriptor: MemoryDescriptor
    public let weightsDescriptor: MemoryDescriptor
    public let destinationDescriptor: MemoryDescriptor
    let primitive: Primitive
    let weights: Memory
    let bias: Memory?

    /// y = x·Wᵀ + b for inputs described by `source` (concrete, or `.any`), with `postOps` fused.
    /// `stream` runs the one-time weight reorder.
    public init(
        source: MemoryDescriptor, weight: Tensor, bias: Tensor? = nil, postOps: [PostOp] = [], stream: Stream
    ) throws {
        let input = source.shape
        let name = "inner product of \(source) with weight \(weight.shape)"
        precondition(
            (input.count == 2 || input.count == 4) && weight.rank == input.count
                && Array(weight.shape.dropFirst()) == Array(input.dropFirst()),
            "\(name): weight must be [O] + the source's shape without N")
        let outputs = weight.shape[0]
        precondition(bias == nil || bias!.shape == [outputs], "\(name): bias \(bias!.shape) must be [\(outputs)]")
        var sourceRaw = source.raw
        var weightsRaw = MemoryDescriptor(shape: weight.shape, format: .any).raw
        var biasRaw = bias.map { MemoryDescriptor(shape: $0.shape).raw } ?? dnnl_memory_desc_t()
        var destinationRaw = MemoryDescriptor(shape: [input[0], outputs], format: .any).raw
        var operation = dnnl_inner_product_desc_t()
        try check(
            dnnl_inner_product_forward_desc_init(
                &operation, dnnl_forward_inference, &sourceRaw, &weightsRaw, &biasRaw, &destinationRaw),
            "dnnl_inner_product_forward_desc_init", "describing an \(name)")
        let descriptor = try PrimitiveDescriptor(
            operation: operation, attributes: PrimitiveAttributes(postOps: PostOps(postOps)), engine: stream.engine,
            name: "\(name) → [\(input[0]), \(outputs)]")
        primitive = try Primitive(descriptor: descriptor)
        sourceDescriptor = descriptor.memoryDescriptor(for: .source)!
        weightsDescriptor = descriptor.memoryDescriptor(for: .weights)!
        destinationDescriptor = descriptor.memoryDescriptor(for: .destination)!
        weights = try Memory(weight, descriptor: weightsDescriptor, stream: stream)
        self.bias = try bias.map {
            try Memory($0, descriptor: descriptor.memoryDescriptor(for: .bias)!, stream: stream)
        }
    }

    /// The implementation oneDNN picked.
    public var implementationName: String { primitive.descriptor.implementationName }

    /// A new memory in `destinationDescriptor`'s layout, allocated by oneDNN.
    public func makeDestination() throws -> Memory {
        try Memory(descriptor: destinationDescriptor, engine: primitive.descriptor.engine)
    }

    /// Submits y = x·Wᵀ + b for `source` into `destination` to `stream`.
    public func execute(source: Memory, destination: Memory, stream: Stream) throws {
        var arguments: [Primitive.Argument: Memory] = [.source: source, .weights: weights, .destination: destination]
        arguments[.bias] = bias
        try primitive.execute(arguments, stream: stream)
    }

    /// y for a row-major `input` as a `[N, O]` tensor, reordering as needed.
    public func apply(to input: Tensor, stream: Stream) throws -> Tensor {
        let source = try Memory(input, descriptor: sourceDescriptor, stream: stream)
        let output = try makeDestination()
        try execute(source: source, destination: output, stream: stream)
        return try output.tensor(stream: stream)
    }
}
