// TensorComparison: what it reports (max |diff| and where, first mismatch, count) and when values
// match (absolute and relative tolerance, infinities, NaN, shapes).
import Testing

@testable import TensorCore

struct TensorComparisonTests {
    @Test func reportsMaxDifferenceAndFirstMismatch() {
        let actual = Tensor(shape: [2, 2], storage: [1, 2, 3, 4])
        let expected = Tensor(shape: [2, 2], storage: [1, 2.5, 3, 5])
        let c = TensorComparison(actual: actual, expected: expected, absoluteTolerance: 0.1)
        #expect(!c.passed)
        #expect(c.maxAbsDifference == 1)
        #expect(c.maxAbsDifferenceIndex == [1, 1])
        #expect(c.firstMismatchIndex == [0, 1])
        #expect(c.firstMismatchValues?.actual == 2)
        #expect(c.firstMismatchValues?.expected == 2.5)
        #expect(c.mismatchCount == 2)
        #expect(
            c.description
                == "max |diff| 1.0 at [1, 1]; 2 mismatches, first at [0, 1]: actual 2.0, expected 2.5 "
                + "(atol 0.1, rtol 0.0, shape [2, 2])")
    }

    @Test func passesWithinAbsoluteOrRelativeTolerance() {
        let a = Tensor(shape: [3], storage: [1.0, 100, -50])
        let b = Tensor(shape: [3], storage: [1.05, 101, -50.4])
        #expect(!TensorComparison(actual: a, expected: b, absoluteTolerance: 0.1).passed)
        let c = TensorComparison(actual: a, expected: b, absoluteTolerance: 0.1, relativeTolerance: 0.01)
        #expect(c.passed, "\(c)")
        #expect(c.firstMismatchIndex == nil)
        #expect(c.maxAbsDifferenceIndex == [1])
    }

    @Test func specialValues() {
        let same = Tensor(shape: [3], storage: [.infinity, -.infinity, .nan])
        #expect(TensorComparison(actual: same, expected: same, absoluteTolerance: 0).passed)
        let finite = Tensor(shape: [3], storage: [.infinity, -.infinity, 0])
        let c = TensorComparison(actual: same, expected: finite, absoluteTolerance: 1)
        #expect(!c.passed)
        #expect(c.maxAbsDifference == .infinity)
        #expect(c.firstMismatchIndex == [2])
        let flipped = Tensor(shape: [3], storage: [-.infinity, -.infinity, .nan])
        #expect(TensorComparison(actual: same, expected: flipped, absoluteTolerance: 1).firstMismatchIndex == [0])
    }

    @Test func differentShapesDoNotMatch() {
        let c = TensorComparison(actual: Tensor(zeros: [2, 3]), expected: Tensor(zeros: [3, 2]), absoluteTolerance: 1)
        #expect(!c.passed)
        #expect(c.description == "shape mismatch: actual [2, 3], expected [3, 2]")
    }

    @Test func emptyTensorsMatch() {
        let c = TensorComparison(actual: Tensor(zeros: [0, 4]), expected: Tensor(zeros: [0, 4]), absoluteTolerance: 0)
        #expect(c.passed)
        #expect(c.maxAbsDifference == 0)
        #expect(c.maxAbsDifferenceIndex == nil)
    }
}
