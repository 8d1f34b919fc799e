// A 2-D convolution on oneDNN, created once for one input shape and executed many times: oneDNN
// picks the implementation and the memory layouts (`dnnl_format_tag_any` for weights and, unless
// the caller fixes them, for source and destination), the weights are reordered into the chosen
// layout once at creation, and bias plus fused post-ops (ReLU6, residual add) run in the same
// pass. Activations stay in oneDNN's layout between layers: create the next convolution with
// `source: previous.destinationDescriptor` and feed it the previous destination memory; reorder
// in only the first input and out only the last output (`Memory(_:descriptor:stream:)`,
// `Memory.tensor(stream:)`). The naive twin is `Naive.conv2d`.
//
// A 1x1 convolution may carry a `.depthwise` post-op (the next layer of an inverted-residual
// block, fused): its OIHW weight `[O, 1, K, K]` and bias `[O]` are given with `depthwise:`,
// reordered once into the layout the fused primitive asks for, and bound at every execution; the
// destination is then the depthwise output, `[N, O, ⌈OH/s⌉, ⌈OW/s⌉]`.
//
// int8 (`ConvolutionQuantization`): u8 or s8 source, s8 weights quantised per output channel in
// the one-time weight reorder, s32 accumulation, then (accumulator + bias) × output scale per output
// channel, then the post-ops, then rounding (ties to even) and saturation into a u8/s8 destination,
// or an f32 one. The bias is therefore given in the accumulator's units. The naive twin is
// `Naive.quantizedConv2d`.
//
// Shapes: N batch, C input channels, O output channels, G groups (C for depthwise), H×W input,
// KH×KW kernel, OH×OW output (from `Conv2DGeometry.outputSize`). Source `[N, C, H, W]`; weight
// tensor OIHW `[O, C/G, KH, KW]`, given to oneDNN as GOIHW `[G, O/G, C/G, KH, KW]` when G > 1 (the
// same bytes); bias `[O]`; destination `[N, O, OH, OW]`. oneDNN counts dilation from 0 and takes
// padding before (top, left) and after (bottom, right) separately.
import CDNNL
import TensorCore

/// The int8 form of a convolution (oneDNN 2.x semantics, see the file comment).
public struct ConvolutionQuantization: Sendable {
    /// u8 or s8; the source descriptor must have this type.
    public var source: MemoryDescriptor.DataType
    /// u8, s8 or f32.
    public var destination: MemoryDescriptor.DataType
    /// Per output channel: the f32 weights times this, rounded to s8.
    public var weightScales: [Float]
    /// Per output channel: (accumulator + bias) times this is the destination value before post-ops.
    public var outputScales: [Float]

    public init(
        source: MemoryDescriptor.DataType, destination: MemoryDescriptor.DataType, weightScales: [Float],
        outputScales: [Float]
    ) {
        self.source = source
        self.destination = destination
        self.weightScales = weightScales
        self.outputScales = outputScales
    }
}

/// A convolution primitive with its weights, bias and post-ops, for one source shape.
public final class Convolution {
    /// The layout the source memory must have (as requested, or oneDNN's choice for `any`).
    public let sourceDescriptor: MemoryDescriptor
    /// The layout oneDNN chose for the weights.
    public let weightsDescriptor: MemoryDescriptor
    /// The layout of the output: what the next convolution should accept as its source.
    public let destinationDescriptor: MemoryDescriptor
    public let geometry: Conv2DGeometry
    public let postOps: [PostOp]
    public let quantization: ConvolutionQuantization?
    let primitive: Primitive
    let weights: Memory
    let bias: Memory?
    /// The fused depthwise post-op's weights and bias, nil without one.
    let depthwiseWeights: Memory?
    let depthwiseBias: Memory?

    /// A convolution of inputs described by `source` (a concrete layout, or `.any` to let oneDNN
    /// choose) with OIHW `weight`. `destination`, when given, fixes the output layout; a `sum`
    /// post-op needs it to be the residual's layout unless the residual is reordered into
    /// `destinationDescriptor`. `stream` runs the one-time weight reorder. Traps on shapes that do
    /// not fit together; throws when oneDNN has no implementation. `depthwise` is the OIHW weight
    /// `[O, 1, K, K]` and bias `[O]` of a `.depthwise` post-op, required exactly when there is one
    /// (oneDNN implements that fusion only for some shapes; it throws `unimplemented` otherwise).
    public init(
        source: MemoryDescriptor, weight: Tensor, bias: Tensor? = nil, geometry: Conv2DGeometry = Conv2DGeometry(),
        postOps: [PostOp] = [], depthwise: (weight: Tensor, bias: Tensor)? = nil, destination: MemoryDescriptor? = nil,
        quantization: ConvolutionQuantization? = nil, stream: Stream
    ) throws {
        var name = "convolution of \(source) with weight \(weight.shape)"
        let (weightShape, output) = Convolution.shapes(
            source: source.shape, weight: weight.shape, bias: bias?.shape, geometry: geometry, name: name)
        // The operation described to oneDNN is the 1x1 convolution alone (`output`); with a fused
        // depthwise post-op the primitive's destination is the depthwise output, which oneDNN derives.
        let fusedOutput = Convolution.fusedDepthwiseShape(
            output, weight: weight.shape, postOps: postOps, depthwise: depthwise?.weight.shape, name: name)
        if fusedOutput != nil, let depthwise {
            name += " + depthwise \(depthwise.weight.shape)"
            precondition(destination == nil, "\(name): the destination layout of a fused depthwise is oneDNN's")
        }
        precondition((destination?.shape ?? output) == output, "\(name): destination must be \(output)")
        if let quantization {
            name = "int8 " + name
            precondition(depthwise == nil, "\(name): no fused depthwise in int8")
            precondition(source.dataType == quantization.source, "\(name): the source must be \(quantization.source)")
            precondition(
                quantization.weightScales.count == weight.shape[0]
                    && quantization.outputScales.count == weight.shape[0],
                "\(name): one weight scale and one output scale per output channel")
        }

        var sourceRaw = source.raw
        var weightsRaw = MemoryDescriptor(shape: weightShape, format: .any, dataType: quantization == nil ? .f32 : .s8)
            .raw
        var biasRaw = bias.map { MemoryDescriptor(shape: $0.shape).raw } ?? dnnl_memory_desc_t()
        var destinationRaw =
            (destination ?? MemoryDescriptor(shape: output, format: .any, dataType: quantization?.destination ?? .f32))
            .raw
        var operation = dnnl_convolution_desc_t()
        let spatial = [
            [geometry.strideH, geometry.strideW], [geometry.dilationH - 1, geometry.dilationW - 1],
            [geometry.padTop, geometry.padLeft], [geometry.padBottom, geometry.padRight],
        ]
        let status = withDims(spatial) { dims in
            dnnl_dilated_convolution_forward_desc_init(
                &operation, dnnl_forward_inference, dnnl_convolution_direct, &sourceRaw, &weightsRaw, &biasRaw,
                &destinationRaw, dims[0], dims[1], dims[2], dims[3])
        }
        try check(status, "dnnl_dilated_convolution_forward_desc_init", "describing a \(name)")
        let attributes = try PrimitiveAttributes(postOps: PostOps(postOps))
        if let quantization { try attributes.setOutputScales(quantization.outputScales, mask: 1 << 1) }
        let descriptor = try PrimitiveDescriptor(
            operation: operation, attributes: attributes, engine: stream.engine,
            name: "\(name) → \(fusedOutput ?? output)")
        primitive = try Primitive(descriptor: descriptor)
        sourceDescriptor = descriptor.memoryDescriptor(required: .source)
        weightsDescriptor = descriptor.memoryDescriptor(required: .weights)
        destinationDescriptor = descriptor.memoryDescriptor(required: .destination)
        self.geometry = geometry
        self.postOps = postOps
        self.quantization = quantization
        // int8 weights are quantised by the reorder into oneDNN's layout: OIHW scales run along O
        // (mask bit 0); GOIHW along G and O/G together (bits 0 and 1), G × O/G = O scales in order.
        let weightScales = quantization.map { ($0.weightScales, Int32(weightShape.count == 5 ? 0b11 : 0b1)) }
        weights = try Memory(
            weight.reshaped(weightShape), descriptor: weightsDescriptor, scales: weightScales, stream: stream)
        self.bias = try bias.map {
            try Memory($0, descriptor: descriptor.memoryDescriptor(required: .bias), stream: stream)
        }
        if let depthwise {
            // oneDNN wants the depthwise weight as GOIHW [O, 1, 1, K, K] (the same bytes as OIHW).
            guard let weightLayout = descriptor.memoryDescriptor(for: .depthwiseWeights),
                let biasLayout = descriptor.memoryDescriptor(for: .depthwiseBias)
            else { preconditionFailure("\(name): the fused primitive takes no depthwise weights or bias") }
            depthwiseWeights = try Memory(
                depthwise.weight.reshaped(weightLayout.shape), descriptor: weightLayout, stream: stream)
            depthwiseBias = try Memory(depthwise.bias, descriptor: biasLayout, stream: stream)
        } else {
            (depthwiseWeights, depthwiseBias) = (nil, nil)
        }
    }

    /// With a `.depthwise` post-op, traps unless the convolution is 1x1, it is the only one, and
    /// `depthwise` is its `[O, 1, K, K]` weight; returns the fused output shape. Without one, traps
    /// if `depthwise` is given and returns nil.
    private static func fusedDepthwiseShape(
        _ output: [Int], weight: [Int], postOps: [PostOp], depthwise: [Int]?, name: String
    ) -> [Int]? {
        let fused = postOps.compactMap { op -> (kernel: Int, stride: Int)? in
            if case .depthwise(let kernel, let stride, _) = op { (kernel, stride) } else { nil }
        }
        precondition(fused.count <= 1, "\(name): more than one depthwise post-op")
        guard let only = fused.first else {
            precondition(depthwise == nil, "\(name): depthwise weights without a depthwise post-op")
            return nil
        }
        let (kernel, stride) = only
        precondition(weight[2] == 1 && weight[3] == 1, "\(name): a depthwise post-op needs a 1x1 convolution")
        let expected = [output[1], 1, kernel, kernel]
        precondition(
            depthwise == expected, "\(name): depthwise weight must be \(expected), got \(String(describing: depthwise))"
        )
        let ceilDiv = { (size: Int) in (size + stride - 1) / stride }
        return [output[0], output[1], ceilDiv(output[2]), ceilDiv(output[3])]
    }

    /// Traps unless `source`, `weight`, `bias` and `geometry` fit together; returns the weight shape
    /// given to oneDNN (GOIHW when grouped) and the output shape.
    private static func shapes(
        source input: [Int], weight: [Int], bias: [Int]?, geometry: Conv2DGeometry, name: String
    ) -> (weights: [Int], output: [Int]) {
        precondition(
            input.count == 4 && weight.count == 4, "\(name): source must be [N, C, H, W], weight [O, C/G, KH, KW]")
        let (outChannels, groupChannels, kernelH, kernelW) = (weight[0], weight[1], weight[2], weight[3])
        let groups = geometry.groups
        precondition(
            input[1] % groups == 0 && outChannels % groups == 0 && groupChannels == input[1] / groups,
            "\(name): channels do not agree with groups \(groups)")
        precondition(
            (bias ?? [outChannels]) == [outChannels], "\(name): bias \(bias ?? []) must be [\(outChannels)]")
        let (outH, outW) = geometry.outputSize(
            height: input[2], width: input[3], kernelHeight: kernelH, kernelWidth: kernelW)
        let grouped = [groups, outChannels / groups, groupChannels, kernelH, kernelW]
        return (groups == 1 ? weight : grouped, [input[0], outChannels, outH, outW])
    }

    /// The implementation oneDNN picked (e.g. "jit:avx2", "jit_dw:avx2", "gemm:jit").
    public var implementationName: String { primitive.descriptor.implementationName }

    /// A new memory in `destinationDescriptor`'s layout, allocated by oneDNN.
    public func makeDestination() throws -> Memory {
        try Memory(descriptor: destinationDescriptor, engine: primitive.descriptor.engine)
    }

    /// Submits the convolution of `source` into `destination` to `stream`. With a `sum` post-op,
    /// `destination` must hold the residual; it is overwritten with the result.
    public func execute(source: Memory, destination: Memory, stream: Stream) throws {
        var arguments: [Primitive.Argument: Memory] = [.source: source, .weights: weights, .destination: destination]
        arguments[.bias] = bias
        arguments[.depthwiseWeights] = depthwiseWeights
        arguments[.depthwiseBias] = depthwiseBias
        try primitive.execute(arguments, stream: stream)
    }

    /// The convolution of an NCHW `input` as an NCHW tensor, reordering in and out as needed;
    /// `residual` (NCHW, the output's shape) is required exactly when there is a `sum` post-op.
    /// For tests and one-off use; a network keeps activations in `Memory` between layers.
    public func apply(to input: Tensor, residual: Tensor? = nil, stream: Stream) throws -> Tensor {
        let needsResidual = postOps.contains { if case .sum = $0 { true } else { false } }
        precondition(needsResidual == (residual != nil), "Convolution.apply: a residual is needed iff there is a sum")
        let source = try Memory(input, descriptor: sourceDescriptor, stream: stream)
        let destination = try residual.map { try Memory($0, descriptor: destinationDescriptor, stream: stream) }
        let output = try destination ?? makeDestination()
        try execute(source: source, destination: output, stream: stream)
        return try output.tensor(stream: stream)
    }
}
