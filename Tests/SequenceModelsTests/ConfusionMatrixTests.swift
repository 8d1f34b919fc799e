// ConfusionMatrix: counting (its text table and SVG are tested in TrainingTests, beside them).

import Testing

@testable import SequenceModels

@Suite struct ConfusionMatrixTests {
    // Rows truth, columns predicted: walk [1 0 0], run [1 1 0], jump [0 1 1] (the hand case of
    // ClipMetricsTests).
    let matrix = ConfusionMatrix(truth: [0, 1, 1, 2, 2], predicted: [0, 1, 0, 2, 1], classCount: 3)

    @Test func counts() {
        #expect(matrix.rows == [[1, 0, 0], [1, 1, 0], [0, 1, 1]])
        #expect(matrix.total == 5 && matrix.rowTotal(1) == 2 && matrix.columnTotal(0) == 2)
        #expect(matrix[1, 0] == 1 && matrix[0, 1] == 0)
    }

}
