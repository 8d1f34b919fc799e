// Tensor: construction, row-major indexing, reshape and the elementwise ops, on hand-worked values.
import Testing

@testable import TensorCore

struct TensorTests {
    let matrix = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])

    @Test func rowMajorIndexing() {
        #expect(matrix.count == 6)
        #expect(matrix.rank == 2)
        #expect(matrix.strides == [3, 1])
        #expect(matrix[0, 2] == 3)
        #expect(matrix[1, 0] == 4)
        #expect(matrix.flatIndex([1, 2]) == 5)
        #expect(matrix.indices(ofFlat: 4) == [1, 1])
        let cube = Tensor(shape: [2, 3, 4]) { Float($0) }
        #expect(cube.strides == [12, 4, 1])
        #expect(cube[1, 2, 3] == 23)
        #expect(cube.indices(ofFlat: 17) == [1, 1, 1])
    }

    @Test func writesGoToTheRightPlace() {
        var t = Tensor(zeros: [2, 2])
        t[1, 0] = 7
        t[flat: 1] = 5
        #expect(t.storage == [0, 5, 7, 0])
    }

    @Test func scalarsAndEmptyTensors() {
        let scalar = Tensor(scalar: 2.5)
        #expect(scalar.shape == [])
        #expect(scalar.count == 1)
        #expect(scalar[] == 2.5)
        let empty = Tensor(zeros: [0, 3])
        #expect(empty.count == 0)
        #expect(empty.storage.isEmpty)
        #expect(Tensor.elementCount([4, 0, 2]) == 0)
        #expect(Tensor.elementCount([]) == 1)
    }

    @Test func reshapeKeepsValuesAndInfersOneDimension() {
        let r = matrix.reshaped([3, 2])
        #expect(r.shape == [3, 2])
        #expect(r.storage == matrix.storage)
        #expect(r[2, 1] == 6)
        #expect(matrix.reshaped([-1]).shape == [6])
        #expect(matrix.reshaped([1, -1, 2]).shape == [1, 3, 2])
        #expect(Tensor(scalar: 1).reshaped([1, 1]).shape == [1, 1])
    }

    @Test func elementwiseArithmetic() {
        let other = Tensor(shape: [2, 3], storage: [6, 5, 4, 3, 2, 1])
        #expect((matrix + other).storage == [7, 7, 7, 7, 7, 7])
        #expect((matrix - other).storage == [-5, -3, -1, 1, 3, 5])
        #expect((matrix * other).storage == [6, 10, 12, 12, 10, 6])
        #expect((2 * matrix).storage == [2, 4, 6, 8, 10, 12])
        var sum = matrix
        sum += other
        #expect(sum.storage == [7, 7, 7, 7, 7, 7])
        #expect(matrix.map { $0 * $0 }.storage == [1, 4, 9, 16, 25, 36])
    }

    @Test func reductions() {
        #expect(matrix.sum() == 21)
        #expect(matrix.mean() == 3.5)
        #expect(Tensor(shape: [3], storage: [-7, 2, 5]).maxAbs() == 7)
        #expect(Tensor(zeros: [0]).maxAbs() == 0)
        #expect(Tensor(zeros: [0]).mean().isNaN)
    }

    @Test func descriptionShowsShapeAndFirstValues() {
        #expect(matrix.description == "Tensor[2, 3] [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]")
        #expect(Tensor(zeros: [10]).description.hasSuffix("… (10 values)]"))
    }
}
