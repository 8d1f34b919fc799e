// Reference matrix products: the twin of oneDNN's `dnnl_sgemm` and inner product.
//
// Shapes: M rows of the result, N columns of the result, K the shared dimension. op(A) is A
// `[M, K]`, or Aᵀ when `transposeA` (then A is stored `[K, M]`); op(B) is B `[K, N]`, or Bᵀ when
// `transposeB` (B stored `[N, K]`). Sums are accumulated in Double, in increasing k.

extension Naive {
    /// op(A)·op(B) as a new `[M, N]` tensor.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        let (m, _, n) = gemmShape(a, b, transposeA: transposeA, transposeB: transposeB, op: "Naive.matmul")
        var c = Tensor(zeros: [m, n])
        gemm(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, op: "Naive.matmul")
        return c
    }

    /// C ← alpha·op(A)·op(B) + beta·C, as BLAS `sgemm`. With `beta == 0` the old C is ignored (NaN
    /// included), as in BLAS.
    public static func gemm(
        _ a: Tensor, _ b: Tensor, into c: inout Tensor, alpha: Float = 1, beta: Float = 0,
        transposeA: Bool = false, transposeB: Bool = false, op: String = "Naive.gemm"
    ) {
        let (m, k, n) = gemmShape(a, b, transposeA: transposeA, transposeB: transposeB, op: op)
        precondition(
            c.shape == [m, n],
            "\(op): C has shape \(c.shape) but op(A)·op(B) of \(a.shape) and \(b.shape) is [\(m), \(n)]")
        let lda = a.shape[1]
        let ldb = b.shape[1]
        c.withUnsafeMutableBufferPointer { out in
            for i in 0..<m {
                for j in 0..<n {
                    var sum = 0.0
                    for p in 0..<k {
                        let aValue = transposeA ? a.storage[p * lda + i] : a.storage[i * lda + p]
                        let bValue = transposeB ? b.storage[j * ldb + p] : b.storage[p * ldb + j]
                        sum += Double(aValue) * Double(bValue)
                    }
                    let scaled = Double(alpha) * sum
                    out[i * n + j] = Float(beta == 0 ? scaled : scaled + Double(beta) * Double(out[i * n + j]))
                }
            }
        }
    }

    /// (M, K, N) of op(A)·op(B); traps unless both are matrices with matching inner dimensions.
    static func gemmShape(
        _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, op: String
    ) -> (m: Int, k: Int, n: Int) {
        precondition(a.rank == 2 && b.rank == 2, "\(op): A \(a.shape) and B \(b.shape) must both be matrices")
        let (m, ka) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(
            ka == kb,
            "\(op): op(A) is \(m)x\(ka) (A \(a.shape)\(transposeA ? "ᵀ" : "")) "
                + "but op(B) is \(kb)x\(n) (B \(b.shape)\(transposeB ? "ᵀ" : ""))"
        )
        return (m, ka, n)
    }
}
