import TensorCore
// 2x2 adaptive average pooling uses PyTorch's overlapping bins on a 7x7 map: [0,4) and [3,7).
import Testing

@testable import ConvNets

struct GridPoolingTests {
    @Test func pytorchBinsOnSevenBySeven() {
        let map = Tensor(shape: [1, 1, 7, 7]) { Float($0) }  // value = row * 7 + col
        let grid = GridPooling.adaptiveAverage(map, cells: 2)
        #expect(grid.shape == [1, 2, 2, 1])
        func mean(_ rows: Range<Int>, _ cols: Range<Int>) -> Float {
            var s: Float = 0
            for r in rows { for c in cols { s += Float(r * 7 + c) } }
            return s / Float(rows.count * cols.count)
        }
        #expect(grid[0, 0, 0, 0] == mean(0..<4, 0..<4))
        #expect(grid[0, 0, 1, 0] == mean(0..<4, 3..<7))
        #expect(grid[0, 1, 0, 0] == mean(3..<7, 0..<4))
        #expect(grid[0, 1, 1, 0] == mean(3..<7, 3..<7))
    }
}
