// `dnnl_sgemm` against its naive twin `Naive.gemm` on seeded random input: all four transpose
// combinations with alpha and beta, sizes large enough for oneDNN's JIT kernels and with odd
// remainders, beta = 0 ignoring what C held (NaN included), and the raw-pointer form on
// sub-matrices with leading dimensions larger than the rows.
//
// Shapes: C `[M, N]` ← alpha·op(A)·op(B) + beta·C with op(A) `[M, K]`, op(B) `[K, N]`.
import DNNL
import TensorCore
import Testing

struct GEMMTests {
    @Test(arguments: [false, true], [false, true])
    func allTransposeCombinations(transposeA: Bool, transposeB: Bool) throws {
        var rng = SeededRNG(seed: 51)
        for (m, n, k) in [(7, 5, 9), (67, 45, 131)] {
            let a = Tensor.uniform(shape: transposeA ? [k, m] : [m, k], -1, 1, using: &rng)
            let b = Tensor.uniform(shape: transposeB ? [n, k] : [k, n], -1, 1, using: &rng)
            let c = Tensor.uniform(shape: [m, n], -1, 1, using: &rng)
            var actual = c
            try GEMM.sgemm(
                a, b, into: &actual, alpha: 0.75, beta: -1.25, transposeA: transposeA, transposeB: transposeB)
            var expected = c
            Naive.gemm(a, b, into: &expected, alpha: 0.75, beta: -1.25, transposeA: transposeA, transposeB: transposeB)
            var magnitude = c.absolute
            Naive.gemm(
                a.absolute, b.absolute, into: &magnitude, alpha: 0.75, beta: 1.25, transposeA: transposeA,
                transposeB: transposeB)
            expectClose(
                actual, expected, absoluteTolerance: errorBound(terms: k, magnitude: magnitude),
                "sgemm \(m)x\(n)x\(k) transA \(transposeA) transB \(transposeB)")
        }
    }

    @Test func betaZeroIgnoresWhatCHeld() throws {
        var rng = SeededRNG(seed: 52)
        let a = Tensor.uniform(shape: [6, 10], -1, 1, using: &rng)
        let b = Tensor.uniform(shape: [10, 4], -1, 1, using: &rng)
        var actual = Tensor(repeating: .nan, shape: [6, 4])
        try GEMM.sgemm(a, b, into: &actual)
        let magnitude = Naive.matmul(a.absolute, b.absolute)
        expectClose(
            actual, Naive.matmul(a, b), absoluteTolerance: errorBound(terms: 10, magnitude: magnitude),
            "beta 0 over NaN")
    }

    @Test func leadingDimensionsSelectSubMatrices() throws {
        // A is the left 5 columns of a [4, 8] buffer, B the top-left [5, 3] of a [6, 7] buffer, and
        // C the left 3 columns of a [4, 6] buffer whose other columns must stay untouched.
        var rng = SeededRNG(seed: 53)
        let bigA = Tensor.uniform(shape: [4, 8], -1, 1, using: &rng)
        let bigB = Tensor.uniform(shape: [6, 7], -1, 1, using: &rng)
        var bigC = Tensor.uniform(shape: [4, 6], -1, 1, using: &rng)
        let before = bigC
        let a = Tensor(shape: [4, 5]) { bigA.storage[($0 / 5) * 8 + $0 % 5] }
        let b = Tensor(shape: [5, 3]) { bigB.storage[($0 / 3) * 7 + $0 % 3] }
        var expected = Tensor(shape: [4, 3]) { before.storage[($0 / 3) * 6 + $0 % 3] }
        Naive.gemm(a, b, into: &expected, alpha: 2, beta: 0.5)
        try bigA.withUnsafeBufferPointer { pa in
            try bigB.withUnsafeBufferPointer { pb in
                try bigC.withUnsafeMutableBufferPointer { pc in
                    try GEMM.sgemm(
                        transposeA: false, transposeB: false, m: 4, n: 3, k: 5, alpha: 2, a: pa.baseAddress!, lda: 8,
                        b: pb.baseAddress!, ldb: 7, beta: 0.5, c: pc.baseAddress!, ldc: 6)
                }
            }
        }
        let actual = Tensor(shape: [4, 3]) { bigC.storage[($0 / 3) * 6 + $0 % 3] }
        let untouched = Tensor(shape: [4, 3]) { bigC.storage[($0 / 3) * 6 + 3 + $0 % 3] }
        let untouchedBefore = Tensor(shape: [4, 3]) { before.storage[($0 / 3) * 6 + 3 + $0 % 3] }
        var magnitude = Tensor(shape: [4, 3]) { 0.5 * abs(before.storage[($0 / 3) * 6 + $0 % 3]) }
        Naive.gemm(a.absolute, b.absolute, into: &magnitude, alpha: 2, beta: 1)
        expectClose(actual, expected, absoluteTolerance: errorBound(terms: 5, magnitude: magnitude), "sub-matrix")
        expectEqual(untouched, untouchedBefore, "columns outside ldc's view")
    }
}
