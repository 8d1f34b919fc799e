// Max and average 2-D pooling on oneDNN (`pooling_v2`, forward inference, so max pooling keeps no
// workspace), created once for one source shape and layout and executed many times. The source
// layout must be concrete (typically the previous convolution's destination); the destination
// layout is oneDNN's choice, normally the source's. Global average pooling, which turns the last
// feature map into one vector per image, is the special case of a window as large as the input.
// The naive twins are `Naive.maxPool2d`, `Naive.avgPool2d` and `Naive.globalAvgPool2d`.
//
// Shapes: N batch, C channels, H×W input, KH×KW window, OH×OW output (from
// `Pool2DGeometry.outputSize`). Source `[N, C, H, W]`; destination `[N, C, OH, OW]`, `[N, C, 1, 1]`
// for global pooling.
import CDNNL
import TensorCore

/// A pooling primitive for one source shape and layout.
public final class Pooling {
    /// What a window reduces to.
    public enum Kind: Hashable, Sendable {
        /// The largest value; padded cells never win.
        case max
        /// The mean; padded cells count as zeros when `countIncludesPadding` (PyTorch's default),
        /// else only the cells inside the input are averaged.
        case average(countIncludesPadding: Bool)
    }

    public let sourceDescriptor: MemoryDescriptor
    /// The output layout oneDNN chose.
    public let destinationDescriptor: MemoryDescriptor
    public let kind: Kind
    public let geometry: Pool2DGeometry
    let primitive: Primitive

    /// Pooling of inputs laid out as `source` (a concrete layout). Traps when the window does not
    /// fit; throws when oneDNN has no implementation.
    public init(source: MemoryDescriptor, kind: Kind, geometry: Pool2DGeometry, engine: Engine) throws {
        let input = source.shape
        let name = "\(kind) pooling of \(source)"
        precondition(input.count == 4 && !source.isAny, "\(name): source must be a concrete [N, C, H, W] layout")
        let (outH, outW) = geometry.outputSize(height: input[2], width: input[3])
        let output = [input[0], input[1], outH, outW]
        let algorithm: dnnl_alg_kind_t
        switch kind {
        case .max: algorithm = dnnl_pooling_max
        case .average(let includesPadding):
            algorithm = includesPadding ? dnnl_pooling_avg_include_padding : dnnl_pooling_avg_exclude_padding
        }
        var sourceRaw = source.raw
        // The destination has the source's data type (u8 max pooling in the int8 ResNet).
        var destinationRaw = MemoryDescriptor(shape: output, format: .any, dataType: source.dataType).raw
        var operation = dnnl_pooling_v2_desc_t()
        let spatial = [
            [geometry.strideH, geometry.strideW], [geometry.kernelH, geometry.kernelW], [0, 0],
            [geometry.padTop, geometry.padLeft], [geometry.padBottom, geometry.padRight],
        ]
        let status = withDims(spatial) { dims in
            dnnl_pooling_v2_forward_desc_init(
                &operation, dnnl_forward_inference, algorithm, &sourceRaw, &destinationRaw, dims[0], dims[1], dims[2],
                dims[3], dims[4])
        }
        try check(status, "dnnl_pooling_v2_forward_desc_init", "describing \(name)")
        let descriptor = try PrimitiveDescriptor(
            operation: operation, attributes: nil, engine: engine, name: "\(name) → \(output)")
        primitive = try Primitive(descriptor: descriptor)
        sourceDescriptor = descriptor.memoryDescriptor(required: .source)
        destinationDescriptor = descriptor.memoryDescriptor(required: .destination)
        self.kind = kind
        self.geometry = geometry
    }

    /// The mean of each channel over H×W: `[N, C, H, W]` → `[N, C, 1, 1]`.
    public static func globalAverage(source: MemoryDescriptor, engine: Engine) throws -> Pooling {
        let input = source.shape
        precondition(input.count == 4, "Pooling.globalAverage: source \(source) must be [N, C, H, W]")
        let window = Pool2DGeometry(kernelH: input[2], kernelW: input[3], strideH: input[2], strideW: input[3])
        return try Pooling(
            source: source, kind: .average(countIncludesPadding: false), geometry: window, engine: engine)
    }

    /// The implementation oneDNN picked.
    public var implementationName: String { primitive.descriptor.implementationName }

    /// A new memory in `destinationDescriptor`'s layout, allocated by oneDNN.
    public func makeDestination() throws -> Memory {
        try Memory(descriptor: destinationDescriptor, engine: primitive.descriptor.engine)
    }

    /// Submits the pooling of `source` into `destination` to `stream`.
    public func execute(source: Memory, destination: Memory, stream: Stream) throws {
        try primitive.execute([.source: source, .destination: destination], stream: stream)
    }

    /// The pooling of an NCHW `input` as an NCHW tensor, reordering in and out as needed.
    public func apply(to input: Tensor, stream: Stream) throws -> Tensor {
        let source = try Memory(input, descriptor: sourceDescriptor, stream: stream)
        let output = try makeDestination()
        try execute(source: source, destination: output, stream: stream)
        return try output.tensor(stream: stream)
    }
}
