// Confusion matrix of a classifier: how often a clip of true class i was predicted as class j.
// Rows are the truth and columns the prediction, as scikit-learn's `confusion_matrix`. Shapes:
// C classes; `counts` is `[C*C]` row-major, counts[i*C + j] = clips of class i predicted as j.
// Rendering as a text table and as an SVG heatmap is in `ConfusionMatrix+Rendering.swift`.

/// Counts of (true class, predicted class) pairs.
public struct ConfusionMatrix: Sendable, Hashable {
    /// Number of classes C; the matrix is C×C.
    public let classCount: Int
    /// Row-major `[C*C]` counts: `counts[truth * C + predicted]`.
    public private(set) var counts: [Int]

    /// An all-zero C×C matrix.
    public init(classCount: Int) {
        precondition(classCount > 0, "ConfusionMatrix: classCount \(classCount) must be positive")
        self.classCount = classCount
        counts = [Int](repeating: 0, count: classCount * classCount)
    }

    /// The matrix of paired true and predicted class indices (both in 0..<classCount).
    public init(truth: [Int], predicted: [Int], classCount: Int) {
        precondition(
            truth.count == predicted.count,
            "ConfusionMatrix: \(truth.count) true labels but \(predicted.count) predictions")
        self.init(classCount: classCount)
        for (t, p) in zip(truth, predicted) { add(truth: t, predicted: p) }
    }

    /// Counts one clip of class `truth` predicted as `predicted`.
    public mutating func add(truth: Int, predicted: Int) {
        precondition(
            (0..<classCount).contains(truth) && (0..<classCount).contains(predicted),
            "ConfusionMatrix.add: truth \(truth), predicted \(predicted) outside 0..<\(classCount)")
        counts[truth * classCount + predicted] += 1
    }

    /// Clips of class `truth` predicted as `predicted`.
    public subscript(truth: Int, predicted: Int) -> Int {
        counts[truth * classCount + predicted]
    }

    /// All counted clips.
    public var total: Int { counts.reduce(0, +) }

    /// Clips whose true class is `truth` (the class's support).
    public func rowTotal(_ truth: Int) -> Int {
        (0..<classCount).reduce(0) { $0 + self[truth, $1] }
    }

    /// Clips predicted as `predicted`.
    public func columnTotal(_ predicted: Int) -> Int {
        (0..<classCount).reduce(0) { $0 + self[$1, predicted] }
    }

    /// Rows as arrays, `[C][C]`, for printing or JSON.
    public var rows: [[Int]] {
        (0..<classCount).map { Array(counts[($0 * classCount)..<(($0 + 1) * classCount)]) }
    }
}
