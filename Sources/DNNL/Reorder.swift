// A reorder: copies a tensor from one memory layout to another (NCHW to oneDNN's blocked layout
// and back, OIHW weights into a convolution's chosen layout). Created once for a pair of
// descriptors of the same shape and executed many times. `Memory+Tensor.swift` uses it to move
// `Tensor`s in and out of blocked layouts.
//
// Shapes: source and destination have the same logical shape; only the layouts differ.

/// A reorder primitive between two layouts of one shape.
public final class Reorder {
    /// The layout read.
    public let source: MemoryDescriptor
    /// The layout written.
    public let destination: MemoryDescriptor
    let primitive: Primitive

    /// A reorder from `source` to `destination`. oneDNN rejects descriptors of different shapes
    /// with `invalidArguments`. With `scales`, each value is multiplied by its scale on the way
    /// (one for all with `mask` 0, else per index of the masked dimensions): converting to u8/s8
    /// then rounds to nearest (ties to even) and saturates, which is how f32 is quantised.
    public init(
        from source: MemoryDescriptor, to destination: MemoryDescriptor, scales: (values: [Float], mask: Int32)? = nil,
        engine: Engine
    ) throws {
        precondition(!source.isAny && !destination.isAny, "Reorder: \(source) → \(destination) needs concrete layouts")
        self.source = source
        self.destination = destination
        let attributes = try scales.map { scales in
            let attributes = try PrimitiveAttributes()
            try attributes.setOutputScales(scales.values, mask: scales.mask)
            return attributes
        }
        primitive = try Primitive(
            descriptor: PrimitiveDescriptor(
                reorderFrom: source, to: destination, attributes: attributes, engine: engine))
    }

    /// Submits the copy of `source` into `destination` to `stream`.
    public func execute(from source: Memory, to destination: Memory, stream: Stream) throws {
        try primitive.execute([.source: source, .destination: destination], stream: stream)
    }
}
