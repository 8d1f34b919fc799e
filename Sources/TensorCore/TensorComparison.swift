// Approximate comparison of two tensors, for tests that check a kernel against its naive twin or
// against PyTorch. It reports what a failing test needs to print: max |diff| and where, and the
// first mismatching index with both values, so one message says how far off and where it starts.
//
// A value matches when |actual - expected| <= absoluteTolerance + relativeTolerance·|expected|
// (numpy's `allclose` rule) and both are finite. Equal values match (infinities included); NaN
// matches only NaN. A NaN against anything else, or an infinity against a finite value, counts as
// |diff| = +inf. Tensors of different shapes do not match and the report says so (a comparison
// reports, it does not trap).

/// The outcome of comparing `actual` against `expected` with tolerances.
public struct TensorComparison: Sendable, CustomStringConvertible {
    public let actualShape: [Int]
    public let expectedShape: [Int]
    public let absoluteTolerance: Float
    public let relativeTolerance: Float
    /// The largest |actual - expected| (0 for empty tensors or different shapes).
    public let maxAbsDifference: Float
    /// The indices of `maxAbsDifference`, if there is any value.
    public let maxAbsDifferenceIndex: [Int]?
    /// The indices of the first value (row-major) outside tolerance.
    public let firstMismatchIndex: [Int]?
    /// `(actual, expected)` at `firstMismatchIndex`.
    public let firstMismatchValues: (actual: Float, expected: Float)?
    /// How many values are outside tolerance.
    public let mismatchCount: Int

    public init(actual: Tensor, expected: Tensor, absoluteTolerance: Float, relativeTolerance: Float = 0) {
        precondition(
            absoluteTolerance >= 0 && relativeTolerance >= 0,
            "TensorComparison: tolerances \(absoluteTolerance), \(relativeTolerance) must not be negative")
        self.actualShape = actual.shape
        self.expectedShape = expected.shape
        self.absoluteTolerance = absoluteTolerance
        self.relativeTolerance = relativeTolerance
        guard actual.shape == expected.shape else {
            (maxAbsDifference, maxAbsDifferenceIndex, firstMismatchIndex, firstMismatchValues) = (0, nil, nil, nil)
            mismatchCount = 0
            return
        }
        var maxDiff: Float = 0
        var maxAt: Int? = nil
        var firstMismatch: Int? = nil
        var mismatches = 0
        for i in 0..<actual.count {
            let a = actual.storage[i]
            let e = expected.storage[i]
            let diff = TensorComparison.difference(a, e)
            if maxAt == nil || diff > maxDiff {
                maxDiff = diff
                maxAt = i
            }
            let withinTolerance = a.isFinite && e.isFinite && diff <= absoluteTolerance + relativeTolerance * abs(e)
            if !(diff == 0 || withinTolerance) {
                mismatches += 1
                if firstMismatch == nil { firstMismatch = i }
            }
        }
        maxAbsDifference = maxDiff
        maxAbsDifferenceIndex = maxAt.map(expected.indices(ofFlat:))
        firstMismatchIndex = firstMismatch.map(expected.indices(ofFlat:))
        firstMismatchValues = firstMismatch.map { (actual.storage[$0], expected.storage[$0]) }
        mismatchCount = mismatches
    }

    /// Whether the shapes agree and every value is within tolerance.
    public var passed: Bool { actualShape == expectedShape && mismatchCount == 0 }

    /// One line for a test message.
    public var description: String {
        let tolerance = "atol \(absoluteTolerance), rtol \(relativeTolerance)"
        guard actualShape == expectedShape else {
            return "shape mismatch: actual \(actualShape), expected \(expectedShape)"
        }
        var text = "max |diff| \(maxAbsDifference)"
        if let index = maxAbsDifferenceIndex { text += " at \(index)" }
        if let index = firstMismatchIndex, let values = firstMismatchValues {
            text +=
                "; \(mismatchCount) mismatches, first at \(index): actual \(values.actual), expected \(values.expected)"
        } else {
            text += "; all values match"
        }
        return text + " (\(tolerance), shape \(expectedShape))"
    }

    /// |a - e|, with 0 for equal values (infinities included) and for two NaNs, and +inf when only
    /// one side is NaN.
    static func difference(_ a: Float, _ e: Float) -> Float {
        if a == e || (a.isNaN && e.isNaN) { return 0 }
        if a.isNaN || e.isNaN { return .infinity }
        return abs(a - e)
    }
}
