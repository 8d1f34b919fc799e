// Shared checks for the DNNL tests: comparison against a naive twin with a tolerance derived from
// the computation, and failure messages that carry max |diff| and the first mismatching index.
//
// Tolerance: each output of a convolution, inner product, GEMM or average pooling is a sum of K
// fp32 terms. oneDNN adds them in fp32 in its own order (blocked, vectorised, with FMA); the twin
// adds them in Double and rounds once. For any summation order the fp32 result is within
// K·u·Σ|term| of the exact sum (u = 2⁻²⁴, the unit roundoff; Higham, "Accuracy and Stability of
// Numerical Algorithms", §3.1), so `errorBound` allows (K + extra)·u·max Σ|term|, `extra` counting
// the roundings after the sum (bias, post-ops, scaling). The magnitude Σ|term| comes from running
// the twin on |x| and |w|. A wrong kernel (a wrong tap, channel or padding cell) misses by a term,
// orders of magnitude more than this bound.
import DNNL
import TensorCore
import Testing

/// Unit roundoff of Float (round to nearest).
let unitRoundoff: Float = 0x1p-24

/// The fp32 error bound for outputs that are sums of `terms` products whose absolute values sum to
/// at most `magnitude.maxAbs()`, with `extraRoundings` roundings after the sum.
func errorBound(terms: Int, magnitude: Tensor, extraRoundings: Int = 2) -> Float {
    Float(terms + extraRoundings) * unitRoundoff * magnitude.maxAbs()
}

/// Expects `actual` to match `expected` within `absoluteTolerance`; the message has max |diff| and
/// the first mismatching index.
func expectClose(
    _ actual: Tensor, _ expected: Tensor, absoluteTolerance: Float, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let comparison = TensorComparison(actual: actual, expected: expected, absoluteTolerance: absoluteTolerance)
    #expect(comparison.passed, "\(label): \(comparison)", sourceLocation: sourceLocation)
}

/// Expects `actual` to equal `expected` exactly (reorders and max pooling only move values).
func expectEqual(
    _ actual: Tensor, _ expected: Tensor, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    expectClose(actual, expected, absoluteTolerance: 0, label, sourceLocation: sourceLocation)
}

extension Tensor {
    /// |x| elementwise, for error magnitudes.
    var absolute: Tensor { map { abs($0) } }
}

/// A CPU engine and a stream on it, one pair per test so tests can run in parallel.
struct Device {
    let engine: Engine
    let stream: DNNL.Stream

    init() throws {
        engine = try Engine()
        stream = try DNNL.Stream(engine: engine)
    }
}
