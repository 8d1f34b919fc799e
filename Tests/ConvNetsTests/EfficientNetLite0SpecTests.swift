// The block table and TensorFlow "SAME" padding of EfficientNet-Lite0 against the table in
// scripts/fixtures/README-cnn.md, which was read off the PyTorch package and checked by running it.
import Testing

@testable import ConvNets

struct EfficientNetLite0SpecTests {
    @Test func blocksMatchTheReferenceTable() {
        let table: [(Int, Int, Int, Int, Int)] = [
            (32, 16, 32, 3, 1), (16, 24, 96, 3, 2), (24, 24, 144, 3, 1), (24, 40, 144, 5, 2), (40, 40, 240, 5, 1),
            (40, 80, 240, 3, 2), (80, 80, 480, 3, 1), (80, 80, 480, 3, 1), (80, 112, 480, 5, 1),
            (112, 112, 672, 5, 1), (112, 112, 672, 5, 1), (112, 192, 672, 5, 2), (192, 192, 1152, 5, 1),
            (192, 192, 1152, 5, 1), (192, 192, 1152, 5, 1), (192, 320, 1152, 3, 1),
        ]
        let blocks = EfficientNetLite0Spec.blocks
        #expect(blocks.count == table.count)
        for (block, row) in zip(blocks, table) {
            let actual = [block.input, block.output, block.expanded, block.kernel, block.stride]
            let expected = [row.0, row.1, row.2, row.3, row.4]
            #expect(actual == expected)
        }
        #expect(blocks.indices.filter { blocks[$0].hasResidual } == [2, 4, 6, 7, 9, 10, 12, 13, 14])
    }

    @Test func samePaddingIsAsymmetricAtStrideTwo() {
        #expect(EfficientNetLite0Spec.samePadding(input: 224, kernel: 3, stride: 2) == (0, 1))
        #expect(EfficientNetLite0Spec.samePadding(input: 56, kernel: 5, stride: 2) == (1, 2))
        #expect(EfficientNetLite0Spec.samePadding(input: 112, kernel: 3, stride: 1) == (1, 1))
        #expect(EfficientNetLite0Spec.samePadding(input: 14, kernel: 5, stride: 1) == (2, 2))
    }
}
