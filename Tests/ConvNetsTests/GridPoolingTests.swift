import TensorCore
// 2x2 adaptive average pooling uses PyTorch's overlapping bins on a 7x7 map: [0,4) and [3,7); the
// channels-last pooling the networks run equals the NCHW one to the bit.
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

    /// The channels-last pooling the networks use sums each channel in the same order as the NCHW
    /// one: bit-identical, on a map whose bins overlap.
    @Test func channelsLastEqualsNCHWToTheBit() {
        var rng = SeededRNG(seed: 7)
        let map = Tensor.uniform(shape: [2, 11, 7, 5], -3, 3, using: &rng)
        let nhwc = Tensor(shape: [2, 7, 5, 11]) { flat in
            let (n, h, w, c) = (flat / 385, flat / 55 % 7, flat / 11 % 5, flat % 11)
            return map[n, c, h, w]
        }
        for cells in [1, 2, 3] {
            let expected = GridPooling.adaptiveAverage(map, cells: cells)
            let found = GridPooling.adaptiveAverage(channelsLast: nhwc, cells: cells)
            #expect(found.shape == expected.shape && found.storage == expected.storage, "cells \(cells)")
        }
        let weight = Tensor.uniform(shape: [4, 11], -1, 1, using: &rng)
        let bias = Tensor.uniform(shape: [4], -1, 1, using: &rng)
        let output = BackboneOutput(channelsLastMap: nhwc, classifierWeight: weight, bias: bias, gridCells: 2)
        let twin = BackboneOutput.naive(map: map, classifierWeight: weight, bias: bias, gridCells: 2)
        // The mean of each channel over the map, summed in row-major order (as `BackboneOutput`
        // summed the NCHW map before it read channels-last ones).
        let means = Tensor(shape: [2, 11]) { flat in
            var sum: Float = 0
            for h in 0..<7 { for w in 0..<5 { sum += map[flat / 11, flat % 11, h, w] } }
            return sum / 35
        }
        #expect(output.features.storage == means.storage)
        let features = TensorComparison(actual: output.features, expected: twin.features, absoluteTolerance: 1e-6)
        #expect(features.passed, "\(features)")
        #expect(output.grid.storage == twin.grid.storage)
        let logits = TensorComparison(actual: output.logits, expected: twin.logits, absoluteTolerance: 1e-5)
        #expect(logits.passed, "\(logits)")
    }
}
