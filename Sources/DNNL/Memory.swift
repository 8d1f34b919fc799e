// Owner of a oneDNN memory object: a `MemoryDescriptor` bound to a buffer on the CPU engine. The
// buffer is either allocated and owned by oneDNN (freed with the memory object) or a caller's
// buffer that the memory only points at; the caller then keeps it alive and unmoved, which
// `keepingAlive` helps with by holding a reference to whatever owns it. Copies to and from
// `Tensor` live in `Memory+Tensor.swift`.
//
// Shapes are those of the descriptor; the bytes are in its physical layout, which is row-major
// only when `descriptor.isPlain`.
import CDNNL
import TensorCore

/// Owner of a `dnnl_memory_t`.
public final class Memory {
    let pointer: dnnl_memory_t
    /// The first byte of the buffer (the CPU engine's data handle).
    let data: UnsafeMutableRawPointer
    /// Shape and layout of the contents.
    public let descriptor: MemoryDescriptor
    /// The engine the memory lives on, kept alive as long as the memory.
    public let engine: Engine
    /// Whatever owns a wrapped buffer, kept alive as long as the memory.
    private let bufferOwner: AnyObject?

    /// Memory for `descriptor` with a buffer that oneDNN allocates, zero-pads and frees.
    public convenience init(descriptor: MemoryDescriptor, engine: Engine) throws {
        try self.init(descriptor: descriptor, engine: engine, handle: vidact_dnnl_memory_allocate(), owner: nil)
    }

    /// Memory for `descriptor` over the caller's `buffer`, which must hold at least
    /// `descriptor.byteCount` bytes and stay valid and unmoved while the memory is used; `owner`, if
    /// given, is retained for the memory's lifetime.
    public convenience init(
        descriptor: MemoryDescriptor, engine: Engine, wrapping buffer: UnsafeMutableRawBufferPointer,
        keepingAlive owner: AnyObject? = nil
    ) throws {
        precondition(
            buffer.count >= descriptor.byteCount && buffer.baseAddress != nil,
            "Memory(wrapping:): buffer of \(buffer.count) bytes is too small for \(descriptor) "
                + "(\(descriptor.byteCount) bytes)")
        try self.init(descriptor: descriptor, engine: engine, handle: buffer.start, owner: owner)
    }

    private init(
        descriptor: MemoryDescriptor, engine: Engine, handle: UnsafeMutableRawPointer, owner: AnyObject?
    ) throws {
        precondition(!descriptor.isAny, "Memory: descriptor \(descriptor) has no layout yet; ask the primitive for it")
        var memory: dnnl_memory_t?
        try withUnsafePointer(to: descriptor.raw) { raw in
            try check(
                dnnl_memory_create(&memory, raw, engine.pointer, handle), "dnnl_memory_create",
                "creating memory for \(descriptor)")
        }
        guard let memory else { preconditionFailure("dnnl_memory_create succeeded without a memory") }
        var data: UnsafeMutableRawPointer?
        let status = dnnl_memory_get_data_handle(memory, &data)
        guard status == dnnl_success, let data else {
            dnnl_memory_destroy(memory)
            try check(status, "dnnl_memory_get_data_handle", "reading the buffer address of \(descriptor)")
            preconditionFailure("dnnl_memory_get_data_handle: memory for \(descriptor) has no buffer")
        }
        self.pointer = memory
        self.data = data
        self.descriptor = descriptor
        self.engine = engine
        self.bufferOwner = owner
    }

    deinit {
        dnnl_memory_destroy(pointer)
    }

    /// A second memory over this one's buffer, read as `descriptor` (the same byte count: another
    /// data type of the same size in the same layout), which keeps this one alive.
    public func reinterpreted(as descriptor: MemoryDescriptor) throws -> Memory {
        precondition(
            descriptor.byteCount == self.descriptor.byteCount,
            "Memory.reinterpreted: \(self.descriptor) as \(descriptor), another size")
        return try Memory(descriptor: descriptor, engine: engine, handle: data, owner: self)
    }

    /// Calls `body` with the buffer's `descriptor.byteCount` bytes, in the descriptor's physical
    /// layout, for reading or writing in place (no copy).
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: data, count: descriptor.byteCount))
    }
}
