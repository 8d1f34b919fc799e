// Elementwise arithmetic on tensors of the same shape, plus a few reductions used by tests and
// by simple layers. No broadcasting: operands must have equal shapes, or the op traps naming both.

extension Tensor {
    /// A tensor of the same shape with `transform` applied to every value.
    public func map(_ transform: (Float) throws -> Float) rethrows -> Tensor {
        Tensor(shape: shape, storage: try storage.map(transform))
    }

    /// A tensor of the same shape with `combine` applied to matching values of `self` and `other`.
    public func zipMap(_ other: Tensor, op: String = "Tensor.zipMap", _ combine: (Float, Float) -> Float) -> Tensor {
        precondition(shape == other.shape, "\(op): shapes \(shape) and \(other.shape) differ")
        var result = storage
        for i in result.indices {
            result[i] = combine(storage[i], other.storage[i])
        }
        return Tensor(shape: shape, storage: result)
    }

    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.zipMap(rhs, op: "Tensor.+", +)
    }

    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.zipMap(rhs, op: "Tensor.-", -)
    }

    /// The elementwise (Hadamard) product.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.zipMap(rhs, op: "Tensor.*", *)
    }

    public static func * (scale: Float, tensor: Tensor) -> Tensor {
        tensor.map { scale * $0 }
    }

    public static func += (lhs: inout Tensor, rhs: Tensor) {
        precondition(lhs.shape == rhs.shape, "Tensor.+=: shapes \(lhs.shape) and \(rhs.shape) differ")
        lhs.withUnsafeMutableBufferPointer { out in
            for i in out.indices { out[i] += rhs.storage[i] }
        }
    }

    /// The sum of all values, accumulated in Double.
    public func sum() -> Float {
        Float(storage.reduce(0.0) { $0 + Double($1) })
    }

    /// The mean of all values (NaN for an empty tensor).
    public func mean() -> Float {
        count == 0 ? .nan : Float(storage.reduce(0.0) { $0 + Double($1) } / Double(count))
    }

    /// The largest absolute value (0 for an empty tensor).
    public func maxAbs() -> Float {
        storage.reduce(0) { Swift.max($0, abs($1)) }
    }
}
