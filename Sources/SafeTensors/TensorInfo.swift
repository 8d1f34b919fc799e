// What the header says about one tensor: name, element type, shape and where its bytes are.

/// One tensor's header entry, validated.
public struct TensorInfo: Equatable, Sendable {
    public let name: String
    public let dtype: DType
    /// Outermost dimension first; `[]` for a scalar.
    public let shape: [Int]
    /// Byte range within the data buffer (which starts right after the header).
    public let dataOffsets: Range<Int>

    public init(name: String, dtype: DType, shape: [Int], dataOffsets: Range<Int>) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.dataOffsets = dataOffsets
    }

    /// Number of elements (the product of the shape).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Number of bytes.
    public var byteCount: Int { dataOffsets.count }
}
