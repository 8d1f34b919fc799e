// Single-precision matrix products on oneDNN's `dnnl_sgemm`: C ← alpha·op(A)·op(B) + beta·C with
// row-major matrices, as the LSTM and the linear heads need. oneDNN's JIT picks AVX2/AVX-512
// kernels itself (no `OPENBLAS_CORETYPE` pitfalls). The naive twin is `Naive.gemm`.
//
// Shapes: M rows of C, N columns of C, K the shared dimension. op(A) is A `[M, K]`, or Aᵀ when
// `transposeA` (A stored `[K, M]`); op(B) is B `[K, N]`, or Bᵀ when `transposeB` (B stored
// `[N, K]`); C is `[M, N]`. Leading dimensions (lda, ldb, ldc) are row strides in elements: at least
// the stored row length.
import CDNNL
import TensorCore

/// Matrix products on `dnnl_sgemm`.
public enum GEMM {
    /// Whether a product `A·Bᵀ` of few rows (an LSTM step: M 32, N 2048, K 512) runs faster on a
    /// transposed copy of B (an `N` product) than as the `T` product itself. On oneDNN 2.6's AVX-512
    /// kernels the `T` product is 2.7x slower (1229 against 448 µs on this 2-core EPYC); on its
    /// AVX2 kernels it is 1.3x *faster* (430 against 572 µs, `ONEDNN_MAX_CPU_ISA=AVX2`), so the copy
    /// only pays with AVX-512 (a C loop of `dnnl_sgemm` calls). Decided once per process.
    public static let fewRowsPreferStoredTranspose: Bool = DNNLRuntime.usesAVX512

    /// Whether a product `A·Bᵀ` with B of 2048 rows (an LSTM layer's input projection: N 4H 2048,
    /// K 512 or 1024) runs faster on a transposed copy of B. oneDNN 2.6's AVX-512 kernels run the
    /// `T` product at 145-175 GFLOP/s for M of 512-672 rows against 210-215 for the `N` product
    /// (M 672, K 1024: 18.3 against 13.3 ms), and even at M 704 and up; its AVX2 kernels run both
    /// at 200-210 GFLOP/s (a C loop of `dnnl_sgemm`, 2 threads, this 2-core EPYC).
    public static let manyRowsPreferStoredTranspose: Bool = DNNLRuntime.usesAVX512

    /// C ← alpha·op(A)·op(B) + beta·C on tensors. Traps when the shapes do not fit.
    public static func sgemm(
        _ a: Tensor, _ b: Tensor, into c: inout Tensor, alpha: Float = 1, beta: Float = 0,
        transposeA: Bool = false, transposeB: Bool = false
    ) throws {
        let op = "GEMM.sgemm"
        precondition(a.rank == 2 && b.rank == 2, "\(op): A \(a.shape) and B \(b.shape) must both be matrices")
        let (m, ka) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(
            ka == kb && c.shape == [m, n],
            "\(op): op(A) is \(m)x\(ka) (A \(a.shape)\(transposeA ? "ᵀ" : "")), op(B) is \(kb)x\(n) "
                + "(B \(b.shape)\(transposeB ? "ᵀ" : "")), C is \(c.shape)")
        guard m > 0 && n > 0 else { return }
        guard ka > 0 else {
            // An empty sum: C ← beta·C (BLAS leaves C alone when beta is 1, zeroes it when beta is 0).
            c = beta == 0 ? Tensor(zeros: c.shape) : c.map { beta * $0 }
            return
        }
        try a.withUnsafeBufferPointer { a in
            try b.withUnsafeBufferPointer { b in
                try c.withUnsafeMutableBufferPointer { c in
                    try sgemm(
                        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: ka, alpha: alpha,
                        a: a.start, lda: transposeA ? m : ka, b: b.start, ldb: transposeB ? ka : n,
                        beta: beta, c: c.start, ldc: n)
                }
            }
        }
    }

    /// C ← alpha·op(A)·op(B) + beta·C on raw row-major buffers with leading dimensions, for callers
    /// that keep parameters in one flat buffer. With `beta == 0`, C is not read.
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) throws {
        try check(
            dnnl_sgemm(
                CChar(UInt8(ascii: transposeA ? "T" : "N")), CChar(UInt8(ascii: transposeB ? "T" : "N")),
                dnnl_dim_t(m), dnnl_dim_t(n), dnnl_dim_t(k), alpha, a, dnnl_dim_t(lda), b, dnnl_dim_t(ldb), beta, c,
                dnnl_dim_t(ldc)),
            "dnnl_sgemm",
            "multiplying \(m)x\(k)\(transposeA ? " (Aᵀ)" : "") by \(k)x\(n)\(transposeB ? " (Bᵀ)" : "")")
    }
}
