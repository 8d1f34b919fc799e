// Owner of a oneDNN primitive: the compiled (JIT) kernel of a primitive descriptor, created once
// and executed many times on a stream with memories bound to its arguments. `execute` checks that
// each memory has exactly the layout the primitive was created for, because oneDNN itself reads
// whatever bytes it is given: a mismatch is a programmer error and traps naming both layouts.
import CDNNL

/// Owner of a `dnnl_primitive_t`.
public final class Primitive {
    /// The execution arguments vidact binds (`DNNL_ARG_*`).
    public enum Argument: Hashable, Sendable, CaseIterable {
        /// `DNNL_ARG_SRC`, also a reorder's `DNNL_ARG_FROM`.
        case source
        /// `DNNL_ARG_DST`, also a reorder's `DNNL_ARG_TO`.
        case destination
        case weights
        case bias
        /// `DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_WEIGHTS`: a fused depthwise post-op's weights.
        case depthwiseWeights
        /// `DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_BIAS`: a fused depthwise post-op's bias.
        case depthwiseBias

        var code: Int32 {
            switch self {
            case .source: return DNNL_ARG_SRC
            case .destination: return DNNL_ARG_DST
            case .weights: return DNNL_ARG_WEIGHTS
            case .bias: return DNNL_ARG_BIAS
            case .depthwiseWeights: return DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_WEIGHTS
            case .depthwiseBias: return DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_BIAS
            }
        }
    }

    let pointer: dnnl_primitive_t
    /// The descriptor it was created from (which keeps the engine alive).
    public let descriptor: PrimitiveDescriptor
    /// The layout of each argument the primitive takes.
    private let expected: [Argument: MemoryDescriptor]

    /// Compiles the implementation `descriptor` chose.
    public init(descriptor: PrimitiveDescriptor) throws {
        var primitive: dnnl_primitive_t?
        try check(dnnl_primitive_create(&primitive, descriptor.pointer), "dnnl_primitive_create", descriptor.name)
        guard let primitive else { preconditionFailure("dnnl_primitive_create succeeded without a primitive") }
        self.pointer = primitive
        self.descriptor = descriptor
        var expected: [Argument: MemoryDescriptor] = [:]
        for argument in Argument.allCases {
            expected[argument] = descriptor.memoryDescriptor(for: argument)
        }
        self.expected = expected
    }

    deinit {
        dnnl_primitive_destroy(pointer)
    }

    /// Submits the primitive to `stream` with `arguments` bound; call `stream.wait()` before reading
    /// the results from another thread. Traps when an argument's layout differs from the one the
    /// primitive was created for, or an argument it needs is missing.
    public func execute(_ arguments: [Argument: Memory], stream: Stream) throws {
        var bound: [dnnl_exec_arg_t] = []
        for argument in Argument.allCases {
            switch (expected[argument], arguments[argument]) {
            case (nil, nil): continue
            case (let expected?, let memory?):
                precondition(
                    memory.descriptor == expected,
                    "\(descriptor.name): \(argument) memory is \(memory.descriptor), the primitive expects \(expected)")
                bound.append(dnnl_exec_arg_t(arg: argument.code, memory: memory.pointer))
            case (let expected?, nil):
                preconditionFailure("\(descriptor.name): no \(argument) memory given; it expects \(expected)")
            case (nil, let memory?):
                preconditionFailure("\(descriptor.name): takes no \(argument), got \(memory.descriptor)")
            }
        }
        try withExtendedLifetime(arguments) {
            try check(
                dnnl_primitive_execute(pointer, stream.pointer, Int32(bound.count), bound), "dnnl_primitive_execute",
                "running \(descriptor.name)")
        }
    }
}
