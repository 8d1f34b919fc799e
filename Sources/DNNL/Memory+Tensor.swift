// Copies between `Tensor` (row-major Float) and oneDNN memory. A plain memory is copied byte for
// byte; a memory in a blocked layout goes through a plain staging memory and a `Reorder`, which
// is how NCHW images enter a chain of convolutions in oneDNN's layout and how the final feature
// map leaves it. The reorders here are created per call (oneDNN's primitive cache makes that
// cheap); a per-frame loop can hold its own `Reorder` and staging `Memory` instead.
//
// Shapes: the tensor's shape equals the descriptor's logical shape (reshape first where the two
// group dimensions differently, e.g. OIHW weights `[O, I/G, KH, KW]` as GOIHW
// `[G, O/G, I/G, KH, KW]`).
import TensorCore

extension Memory {
    /// Memory in `descriptor`'s layout holding `tensor`, reordered from row-major when the layout
    /// is not plain. Waits for the reorder.
    /// Into an int8 descriptor, each value is multiplied by its scale of `scales` (see `Reorder`),
    /// rounded and saturated: the quantised copy.
    public convenience init(
        _ tensor: Tensor, descriptor: MemoryDescriptor, scales: (values: [Float], mask: Int32)? = nil, stream: Stream
    ) throws {
        precondition(
            tensor.shape == descriptor.shape,
            "Memory(tensor:descriptor:): tensor \(tensor.shape) does not match descriptor \(descriptor)")
        try self.init(descriptor: descriptor, engine: stream.engine)
        if descriptor.isPlain && descriptor.dataType == .f32 && scales == nil {
            write(tensor)
        } else {
            let staging = try Memory(descriptor: MemoryDescriptor(shape: tensor.shape), engine: stream.engine)
            staging.write(tensor)
            try Reorder(from: staging.descriptor, to: descriptor, scales: scales, engine: stream.engine)
                .execute(from: staging, to: self, stream: stream)
            try stream.wait()
        }
    }

    /// Copies `tensor` into a plain memory of the same shape.
    public func write(_ tensor: Tensor) {
        precondition(
            descriptor.isPlain && descriptor.dataType == .f32 && tensor.shape == descriptor.shape,
            "Memory.write: tensor \(tensor.shape) into memory \(descriptor) needs a plain layout of the same shape")
        tensor.withUnsafeBufferPointer { values in
            guard let base = values.baseAddress else { return }
            data.copyMemory(from: base, byteCount: values.count * MemoryLayout<Float>.stride)
        }
    }

    /// Runs `body` with a plain f32 memory over `tensor`'s own storage, for a primitive that only
    /// reads it (an input's quantising reorder): no staging copy. The memory is valid only inside
    /// `body`, which must wait for the work it starts.
    public static func reading<R>(_ tensor: Tensor, engine: Engine, _ body: (Memory) throws -> R) throws -> R {
        try tensor.withUnsafeBufferPointer { values in
            let bytes = UnsafeMutableRawBufferPointer(mutating: UnsafeRawBufferPointer(values))
            let memory = try Memory(descriptor: MemoryDescriptor(shape: tensor.shape), engine: engine, wrapping: bytes)
            return try body(memory)
        }
    }

    /// The contents of a plain memory as a tensor of its shape.
    public func read() -> Tensor {
        precondition(
            descriptor.isPlain && descriptor.dataType == .f32,
            "Memory.read: memory \(descriptor) is not plain f32; use tensor(stream:)")
        let count = Tensor.elementCount(descriptor.shape)
        let values = data.bindMemory(to: Float.self, capacity: count)
        return Tensor(shape: descriptor.shape, storage: Array(UnsafeBufferPointer(start: values, count: count)))
    }

    /// The contents as a row-major tensor, reordered out of a blocked layout (and converted from
    /// int8, values unscaled) when needed. Waits for the stream first, so pending work that writes
    /// this memory is finished.
    public func tensor(stream: Stream) throws -> Tensor {
        try stream.wait()
        if descriptor.isPlain && descriptor.dataType == .f32 { return read() }
        let plain = try Memory(descriptor: MemoryDescriptor(shape: descriptor.shape), engine: engine)
        try Reorder(from: descriptor, to: plain.descriptor, engine: engine).execute(
            from: self, to: plain, stream: stream)
        try stream.wait()
        return plain.read()
    }

    /// The contents of a rank-4 f32 memory as a channels-last tensor [N, H, W, C]: copied as is
    /// when the memory is NHWC already (what the int8 networks' heads write), reordered otherwise.
    /// A CNN's final map leaves oneDNN this way because pooling reads it channel-contiguous; the
    /// plain NCHW copy cost a reorder per pass. Waits for the stream first.
    public func channelsLastTensor(stream: Stream) throws -> Tensor {
        let shape = descriptor.shape
        precondition(
            shape.count == 4 && descriptor.dataType == .f32,
            "Memory.channelsLastTensor: memory \(descriptor) is not a rank-4 f32 map")
        try stream.wait()
        let nhwc = MemoryDescriptor(shape: shape, format: .channelsLast)
        var source = self
        if !(descriptor == nhwc) {
            source = try Memory(descriptor: nhwc, engine: engine)
            try Reorder(from: descriptor, to: nhwc, engine: engine).execute(from: self, to: source, stream: stream)
            try stream.wait()
        }
        let count = Tensor.elementCount(shape)
        let values = source.data.bindMemory(to: Float.self, capacity: count)
        return Tensor(
            shape: [shape[0], shape[2], shape[3], shape[1]],
            storage: Array(UnsafeBufferPointer(start: values, count: count)))
    }
}
