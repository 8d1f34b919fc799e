// Naive.matmul and Naive.gemm against a hand-worked product, and the transposed forms against the
// plain one.
import Testing

@testable import TensorCore

struct NaiveMatMulTests {
    let a = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [3, 2], storage: [7, 8, 9, 10, 11, 12])
    // [[1·7 + 2·9 + 3·11, 1·8 + 2·10 + 3·12], [4·7 + 5·9 + 6·11, 4·8 + 5·10 + 6·12]]
    let product: [Float] = [58, 64, 139, 154]

    @Test func handWorkedProduct() {
        let c = Naive.matmul(a, b)
        #expect(c.shape == [2, 2])
        #expect(c.storage == product)
    }

    @Test func transposedOperandsGiveTheSameProduct() {
        let aT = transpose(a)
        let bT = transpose(b)
        #expect(Naive.matmul(aT, b, transposeA: true).storage == product)
        #expect(Naive.matmul(a, bT, transposeB: true).storage == product)
        #expect(Naive.matmul(aT, bT, transposeA: true, transposeB: true).storage == product)
        // (AB)ᵀ = BᵀAᵀ
        #expect(Naive.matmul(b, a, transposeA: true, transposeB: true) == transpose(Naive.matmul(a, b)))
    }

    @Test func gemmScalesAndAccumulates() {
        var c = Tensor(repeating: 1, shape: [2, 2])
        Naive.gemm(a, b, into: &c, alpha: 2, beta: -1)
        #expect(c.storage == product.map { 2 * $0 - 1 })
        var ignored = Tensor(repeating: .nan, shape: [2, 2])
        Naive.gemm(a, b, into: &ignored, beta: 0)
        #expect(ignored.storage == product)
    }

    @Test func innerDimensionZeroGivesZeros() {
        let c = Naive.matmul(Tensor(zeros: [2, 0]), Tensor(zeros: [0, 3]))
        #expect(c == Tensor(zeros: [2, 3]))
    }

    private func transpose(_ m: Tensor) -> Tensor {
        Tensor(shape: [m.shape[1], m.shape[0]]) { i in m[i % m.shape[0], i / m.shape[0]] }
    }
}
