// Metrics of the `clip` task (many-to-one: one label per video), as `vidact evaluate` reports
// them. Shapes: N clips, C classes; `probabilities` is `[N][C]`, `labels` `[N]` in 0..<C.
//
// Definitions (scikit-learn's, which the fixture test checks against):
// - prediction = argmax of the clip's probabilities (the first of equal maxima, as numpy);
// - accuracy = correct / N; top-k accuracy = share of clips whose true class is among the k most
//   probable (k clamped to C). Ties: a class counts as among the top k when fewer than k classes
//   have a strictly higher probability (ties go in the true class's favour; scikit-learn's
//   `top_k_accuracy_score` breaks ties by class index instead, so the two differ only on ties);
// - per class c: precision = TP / predicted-as-c, recall = TP / support, F1 = 2·TP / (2·TP + FP +
//   FN); a 0/0 is 0 (scikit-learn's `zero_division=0`);
// - macro averages are the unweighted means over all C classes, including classes with no clip
//   (they count as 0, like scikit-learn's `precision_recall_fscore_support(labels=range(C),
//   average="macro", zero_division=0)`); macro F1 is the mean of the per-class F1, not the F1 of
//   macro precision and recall.
// All values are fractions in [0, 1] (the `frames` metrics are percentages, as MS-TCN prints them).

/// Precision, recall and F1 of one class.
public struct ClassScores: Sendable, Hashable {
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// Clips whose true class this is.
    public var support: Int

    public init(precision: Double, recall: Double, f1: Double, support: Int) {
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
    }
}

/// Accuracy, top-k, per-class and macro scores and the confusion matrix of clip predictions.
public struct ClipMetrics: Sendable, Hashable {
    /// Number of clips N.
    public var count: Int
    /// Share of clips whose argmax is the true class.
    public var accuracy: Double
    /// The k of `topKAccuracy` (after clamping to the class count).
    public var topK: Int
    /// Share of clips whose true class is among the k most probable.
    public var topKAccuracy: Double
    /// `[C]` scores, indexed by class.
    public var perClass: [ClassScores]
    public var macroPrecision: Double
    public var macroRecall: Double
    public var macroF1: Double
    /// Rows truth, columns prediction.
    public var confusion: ConfusionMatrix

    /// Metrics of N clips from their class probabilities `[N][C]` and true labels `[N]`.
    public static func compute(probabilities: [[Float]], labels: [Int], classCount: Int, topK: Int = 5) -> ClipMetrics {
        precondition(
            probabilities.count == labels.count,
            "ClipMetrics.compute: \(probabilities.count) rows of probabilities, \(labels.count) labels")
        precondition(topK > 0, "ClipMetrics.compute: topK \(topK) must be positive")
        let k = min(topK, classCount)
        var predicted: [Int] = []
        predicted.reserveCapacity(labels.count)
        var topKHits = 0
        for (n, row) in probabilities.enumerated() {
            precondition(
                row.count == classCount,
                "ClipMetrics.compute: clip \(n) has \(row.count) probabilities, not \(classCount)")
            let label = labels[n]
            precondition((0..<classCount).contains(label), "ClipMetrics.compute: label \(label) of clip \(n)")
            predicted.append(PredictedSegments.argmax(row))
            let higher = row.reduce(0) { $0 + ($1 > row[label] ? 1 : 0) }
            if higher < k { topKHits += 1 }
        }
        return ClipMetrics(
            confusion: ConfusionMatrix(truth: labels, predicted: predicted, classCount: classCount), topK: k,
            topKHits: topKHits)
    }

    /// Metrics from a confusion matrix, plus the number of top-k hits counted by the caller.
    init(confusion: ConfusionMatrix, topK: Int, topKHits: Int) {
        let classes = confusion.classCount
        let n = confusion.total
        self.confusion = confusion
        count = n
        self.topK = topK
        accuracy = Self.ratio((0..<classes).reduce(0) { $0 + confusion[$1, $1] }, n)
        topKAccuracy = Self.ratio(topKHits, n)
        perClass = (0..<classes).map(confusion.scores(of:))
        macroPrecision = perClass.reduce(0) { $0 + $1.precision } / Double(classes)
        macroRecall = perClass.reduce(0) { $0 + $1.recall } / Double(classes)
        macroF1 = perClass.reduce(0) { $0 + $1.f1 } / Double(classes)
    }

    /// a / b, or 0 when b is 0.
    static func ratio(_ a: Int, _ b: Int) -> Double {
        b == 0 ? 0 : Double(a) / Double(b)
    }
}

extension ConfusionMatrix {
    /// Precision, recall, F1 and support of class `c`, with the definitions above (0 where a
    /// denominator is 0). The clip metrics and the report's frame-level table both use it.
    public func scores(of c: Int) -> ClassScores {
        let tp = self[c, c]
        let support = rowTotal(c)
        let predicted = columnTotal(c)
        let (fp, fn) = (predicted - tp, support - tp)
        return ClassScores(
            precision: ClipMetrics.ratio(tp, predicted), recall: ClipMetrics.ratio(tp, support),
            f1: ClipMetrics.ratio(2 * tp, 2 * tp + fp + fn), support: support)
    }
}
