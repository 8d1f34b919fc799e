// The tensor every numeric module passes around: a shape and a contiguous, row-major buffer of
// Float. No strides, views or other element types; a kernel that needs another layout copies into
// a new tensor. Shapes are listed outermost first, as in PyTorch and safetensors (`[N, C, H, W]`).
// A rank-0 tensor (shape `[]`) holds one value; a dimension of 0 makes an empty tensor.
//
// Programmer errors (a storage count that does not match the shape, an index out of range, a
// reshape to another element count) trap with a message naming the op and the shapes.

/// A shape plus contiguous row-major Float storage.
public struct Tensor: Equatable, Sendable {
    /// Sizes of the dimensions, outermost first.
    public private(set) var shape: [Int]
    /// The values in row-major order; `storage.count == Tensor.elementCount(shape)`.
    public private(set) var storage: [Float]

    /// A tensor of `shape` holding `storage` in row-major order.
    public init(shape: [Int], storage: [Float]) {
        let count = Tensor.elementCount(shape, op: "Tensor.init")
        precondition(
            storage.count == count,
            "Tensor.init: shape \(shape) needs \(count) values, got \(storage.count)")
        self.shape = shape
        self.storage = storage
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, storage: Array(repeating: value, count: Tensor.elementCount(shape, op: "Tensor.init")))
    }

    /// A tensor of `shape` filled with zeros.
    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    /// A tensor of `shape` whose value at row-major position `i` is `value(i)`.
    public init(shape: [Int], value: (Int) throws -> Float) rethrows {
        let count = Tensor.elementCount(shape, op: "Tensor.init")
        self.init(shape: shape, storage: try (0..<count).map(value))
    }

    /// A rank-0 tensor holding `value`.
    public init(scalar value: Float) {
        self.init(shape: [], storage: [value])
    }

    /// Number of values (the product of the shape; 1 for rank 0).
    public var count: Int { storage.count }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// Row-major strides in elements: the last dimension has stride 1.
    public var strides: [Int] {
        var strides = Array(repeating: 1, count: shape.count)
        var stride = 1
        for axis in shape.indices.reversed() {
            strides[axis] = stride
            stride *= shape[axis]
        }
        return strides
    }

    /// The product of `shape`; traps on a negative dimension or overflow.
    public static func elementCount(_ shape: [Int], op: String = "Tensor.elementCount") -> Int {
        var count = 1
        for size in shape {
            precondition(size >= 0, "\(op): shape \(shape) has a negative dimension")
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            precondition(!overflow, "\(op): shape \(shape) has more elements than Int can count")
            count = product
        }
        return count
    }

    /// The row-major position of `indices`; traps when the rank or an index is out of range.
    public func flatIndex(_ indices: [Int]) -> Int {
        precondition(
            indices.count == shape.count,
            "Tensor.flatIndex: \(indices.count) indices for shape \(shape)")
        var flat = 0
        for (axis, index) in indices.enumerated() {
            precondition(
                index >= 0 && index < shape[axis],
                "Tensor.flatIndex: index \(indices) is out of range for shape \(shape)")
            flat = flat * shape[axis] + index
        }
        return flat
    }

    /// The indices of row-major position `flat` (the inverse of `flatIndex`).
    public func indices(ofFlat flat: Int) -> [Int] {
        precondition(flat >= 0 && flat < count, "Tensor.indices: position \(flat) is out of range for shape \(shape)")
        var rest = flat
        var indices = Array(repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() {
            indices[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return indices
    }

    /// The value at `indices` (one per dimension, none for rank 0).
    public subscript(_ indices: Int...) -> Float {
        get { storage[flatIndex(indices)] }
        set { storage[flatIndex(indices)] = newValue }
    }

    /// The value at row-major position `flat`.
    public subscript(flat flat: Int) -> Float {
        get {
            precondition(flat >= 0 && flat < count, "Tensor[flat:]: \(flat) is out of range for shape \(shape)")
            return storage[flat]
        }
        set {
            precondition(flat >= 0 && flat < count, "Tensor[flat:]: \(flat) is out of range for shape \(shape)")
            storage[flat] = newValue
        }
    }

    /// The same values under another shape with the same element count. One dimension may be -1,
    /// meaning "whatever makes the counts agree".
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        precondition(inferred.count <= 1, "Tensor.reshaped: \(shape) to \(newShape) has more than one -1")
        if let axis = inferred.first {
            var known = newShape
            known[axis] = 1
            let knownCount = Tensor.elementCount(known, op: "Tensor.reshaped")
            precondition(
                knownCount > 0 && count % knownCount == 0,
                "Tensor.reshaped: cannot reshape \(shape) (\(count) values) to \(newShape)")
            resolved[axis] = count / knownCount
        }
        let newCount = Tensor.elementCount(resolved, op: "Tensor.reshaped")
        precondition(
            newCount == count,
            "Tensor.reshaped: cannot reshape \(shape) (\(count) values) to \(newShape) (\(newCount) values)")
        return Tensor(shape: resolved, storage: storage)
    }

    /// Calls `body` with the values, contiguous and row-major.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the values for writing in place; the count cannot change.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer { buffer in try body(buffer) }
    }
}

extension Tensor: CustomStringConvertible {
    /// The shape and the first few values, for test messages and logs.
    public var description: String {
        let shown = storage.prefix(8).map { "\($0)" }.joined(separator: ", ")
        let more = count > 8 ? ", … (\(count) values)" : ""
        return "Tensor\(shape) [\(shown)\(more)]"
    }
}
