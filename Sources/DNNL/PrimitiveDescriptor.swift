// Owner of a oneDNN primitive descriptor: an operation (convolution, pooling, …) resolved against
// the engine and the attributes into one concrete implementation, with every `any` layout of the
// operation replaced by the layout that implementation wants. The ops ask it which layouts it
// chose (`memoryDescriptor(for:)`) and create their `Primitive` from it. In the 2.x API an
// operation is first described by a C "op desc" struct (`dnnl_convolution_desc_t`, …) and
// `dnnl_primitive_desc_create` picks the first implementation that accepts it.
import CDNNL

/// Owner of a `dnnl_primitive_desc_t`.
public final class PrimitiveDescriptor {
    let pointer: dnnl_primitive_desc_t
    /// The engine it was created for, kept alive as long as the descriptor.
    public let engine: Engine
    /// What the primitive is, for messages (e.g. "convolution [2, 6, 9, 9] → [2, 10, 9, 9]").
    public let name: String

    /// The first implementation of the operation described by `operation` (a 2.x op desc struct
    /// such as `dnnl_convolution_desc_t`) that accepts `attributes`.
    init<OperationDescriptor>(
        operation: OperationDescriptor, attributes: PrimitiveAttributes?, engine: Engine, name: String
    ) throws {
        var descriptor: dnnl_primitive_desc_t?
        try withUnsafePointer(to: operation) { operation in
            try check(
                dnnl_primitive_desc_create(&descriptor, operation, attributes?.pointer, engine.pointer, nil),
                "dnnl_primitive_desc_create", "creating a \(name)")
        }
        guard let descriptor else { preconditionFailure("dnnl_primitive_desc_create succeeded without a result") }
        self.pointer = descriptor
        self.engine = engine
        self.name = name
    }

    /// A reorder from `source` to `destination`, both on `engine`.
    init(
        reorderFrom source: MemoryDescriptor, to destination: MemoryDescriptor, attributes: PrimitiveAttributes? = nil,
        engine: Engine
    ) throws {
        let name = "reorder \(source) → \(destination)"
        var descriptor: dnnl_primitive_desc_t?
        try withUnsafePointer(to: source.raw) { source in
            try withUnsafePointer(to: destination.raw) { destination in
                try check(
                    dnnl_reorder_primitive_desc_create(
                        &descriptor, source, engine.pointer, destination, engine.pointer, attributes?.pointer),
                    "dnnl_reorder_primitive_desc_create", "creating a \(name)")
            }
        }
        guard let descriptor else {
            preconditionFailure("dnnl_reorder_primitive_desc_create succeeded without a result")
        }
        self.pointer = descriptor
        self.engine = engine
        self.name = name
    }

    deinit {
        dnnl_primitive_desc_destroy(pointer)
    }

    /// The layout the implementation expects for `argument`, or nil when it takes no such argument
    /// (oneDNN answers with a zero descriptor then).
    public func memoryDescriptor(for argument: Primitive.Argument) -> MemoryDescriptor? {
        guard let raw = dnnl_primitive_desc_query_md(pointer, dnnl_query_exec_arg_md, argument.code),
            raw.pointee.ndims > 0
        else { return nil }
        return MemoryDescriptor(raw: raw.pointee)
    }

    /// The memory descriptor of an argument that this kind of primitive always has (a
    /// convolution's source, weights and destination); its absence is a programmer error.
    public func memoryDescriptor(required argument: Primitive.Argument) -> MemoryDescriptor {
        guard let descriptor = memoryDescriptor(for: argument) else {
            preconditionFailure("\(name): oneDNN gives no memory descriptor for argument \(argument.code)")
        }
        return descriptor
    }

    /// The implementation oneDNN picked, e.g. "jit:avx2", "jit_dw:avx2" or "gemm:jit".
    public var implementationName: String {
        var text: UnsafePointer<CChar>?
        guard dnnl_primitive_desc_query(pointer, dnnl_query_impl_info_str, 0, &text) == dnnl_success, let text else {
            return "unknown"
        }
        return String(cString: text)
    }
}
