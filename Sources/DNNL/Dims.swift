// Conversions between Swift `[Int]` shapes and oneDNN's `dnnl_dims_t`, a fixed C array of
// `DNNL_MAX_NDIMS` (12) 64-bit integers that Swift imports as a 12-element tuple. C functions take
// it as a pointer to the first element; oneDNN copies what it reads, so the pointers only need to
// live for the call.
import CDNNL
import TensorCore

/// The most dimensions a oneDNN memory descriptor can have.
let maxDims = Int(DNNL_MAX_NDIMS)

/// The first `count` entries of a `dnnl_dims_t` as Swift integers.
func dimsArray(_ dims: dnnl_dims_t, count: Int) -> [Int] {
    precondition((0...maxDims).contains(count), "dimsArray: \(count) dimensions, oneDNN allows \(maxDims)")
    return withUnsafeBytes(of: dims) { bytes in
        (0..<count).map { Int(bytes.load(fromByteOffset: $0 * MemoryLayout<dnnl_dim_t>.stride, as: dnnl_dim_t.self)) }
    }
}

/// Calls `body` with one `dnnl_dims_t`-shaped pointer per array in `arrays` (each zero-filled past
/// its own length), for C calls that take several dims arguments (strides, kernel, padding).
func withDims<R>(_ arrays: [[Int]], _ body: ([UnsafePointer<dnnl_dim_t>]) throws -> R) rethrows -> R {
    var flat = [dnnl_dim_t](repeating: 0, count: max(1, arrays.count) * maxDims)
    for (slot, values) in arrays.enumerated() {
        precondition(values.count <= maxDims, "withDims: \(values) has more than \(maxDims) dimensions")
        for (axis, value) in values.enumerated() {
            flat[slot * maxDims + axis] = dnnl_dim_t(value)
        }
    }
    return try flat.withUnsafeBufferPointer { buffer in
        let base = buffer.start
        return try body(arrays.indices.map { base + $0 * maxDims })
    }
}
