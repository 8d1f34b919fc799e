// Naive pooling and activations against hand-worked values: max and average windows with and
// without padding (both padding conventions), global average pooling, ReLU and ReLU6.
import Testing

@testable import TensorCore

struct NaivePoolingTests {
    // 1 … 16 in a 4×4 plane.
    let plane = Tensor(shape: [1, 1, 4, 4]) { Float($0 + 1) }

    @Test func maxAndAverageOfTwoByTwoWindows() {
        let geometry = Pool2DGeometry(kernel: 2)
        #expect(Naive.maxPool2d(plane, geometry: geometry).storage == [6, 8, 14, 16])
        #expect(Naive.avgPool2d(plane, geometry: geometry).storage == [3.5, 5.5, 11.5, 13.5])
    }

    @Test func paddedWindows() {
        // Kernel 3, stride 2, padding 1: windows over rows/cols -1…1 and 1…3.
        let geometry = Pool2DGeometry(kernel: 3, stride: 2, padding: 1)
        #expect(Naive.maxPool2d(plane, geometry: geometry).storage == [6, 8, 14, 16])
        // Top-left window holds 1, 2, 5, 6 (sum 14) and five padded cells.
        let included = Naive.avgPool2d(plane, geometry: geometry, countIncludesPadding: true)
        let excluded = Naive.avgPool2d(plane, geometry: geometry, countIncludesPadding: false)
        #expect(included[0, 0, 0, 0] == 14 / Float(9))
        #expect(excluded[0, 0, 0, 0] == 3.5)
        // Bottom-right window: rows 1…3, cols 1…3, all inside: 6+7+8+10+11+12+14+15+16 = 99.
        #expect(included[0, 0, 1, 1] == 11)
        #expect(excluded[0, 0, 1, 1] == 11)
    }

    @Test func maxPoolingIgnoresPaddingEvenForNegativeInputs() {
        let negative = plane.map { -$0 }
        let y = Naive.maxPool2d(negative, geometry: Pool2DGeometry(kernel: 3, stride: 2, padding: 1))
        #expect(y.storage == [-1, -2, -5, -6])
    }

    @Test func globalAveragePerChannel() {
        let input = Tensor(shape: [2, 2, 1, 3], storage: [1, 2, 3, 10, 20, 30, -1, -2, -3, 0, 0, 3])
        let y = Naive.globalAvgPool2d(input)
        #expect(y.shape == [2, 2, 1, 1])
        #expect(y.storage == [2, 20, -2, 1])
    }

    @Test func reluAndRelu6() {
        let x = Tensor(shape: [7], storage: [-1, -0.5, 0, 3, 6, 7.5, .infinity])
        #expect(Naive.relu(x).storage == [0, 0, 0, 3, 6, 7.5, .infinity])
        #expect(Naive.relu6(x).storage == [0, 0, 0, 3, 6, 6, 6])
        #expect(Naive.relu6(Tensor(scalar: .nan))[].isNaN)
    }
}
