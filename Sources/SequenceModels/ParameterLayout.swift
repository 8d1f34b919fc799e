// The named views of a model's one flat parameter buffer (llm.c's `ParameterTensors`): every weight
// and bias of a `SequenceClassifier` lives in one `[Float]`, and its gradients and Adam moments are
// buffers of the same length with the same offsets. An entry is a PyTorch `state_dict` name, its
// shape and where its values start; entries are packed in the order they were added.

/// Names, shapes and offsets of the tensors in a flat parameter buffer.
public struct ParameterLayout: Sendable, Equatable {
    /// One tensor of the buffer.
    public struct Entry: Sendable, Equatable {
        /// PyTorch `state_dict` name, e.g. `lstm.weight_ih_l0`.
        public let name: String
        public let shape: [Int]
        /// First value in the flat buffer.
        public let offset: Int
        /// Number of values (the product of `shape`).
        public var count: Int { shape.reduce(1, *) }
        /// Positions in the flat buffer.
        public var range: Range<Int> { offset..<(offset + count) }
    }

    /// The tensors in buffer order.
    public private(set) var entries: [Entry] = []
    /// Total number of values.
    public private(set) var count = 0

    public init() {}

    /// Appends `name` with `shape` at the end of the buffer and returns its offset.
    @discardableResult
    public mutating func append(_ name: String, shape: [Int]) -> Int {
        precondition(entry(name) == nil, "ParameterLayout.append: \"\(name)\" was already added")
        let entry = Entry(name: name, shape: shape, offset: count)
        entries.append(entry)
        count += entry.count
        return entry.offset
    }

    /// The entry called `name`, if any.
    public func entry(_ name: String) -> Entry? {
        entries.first { $0.name == name }
    }
}
