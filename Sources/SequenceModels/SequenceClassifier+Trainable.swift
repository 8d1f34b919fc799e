// `SequenceClassifier` as a `TrainableModel`: batches of `SequenceExample`s, accuracy over clips
// (clip task) or labelled frames (frames task).
import SafeTensors
import TensorCore

extension SequenceClassifier: TrainableModel {
    public func trainingStep(
        _ examples: [SequenceExample], rng: inout SeededRNG, classWeights: [Float]?, gradients: inout [Float]
    ) throws -> BatchResult {
        let batch = SequenceBatch(examples)
        var batchRNG: SeededRNG? = rng
        let (loss, weight, logits) = try lossAndGradients(
            batch, rng: &batchRNG, classWeights: classWeights, gradients: &gradients)
        // lossAndGradients advances a given generator and never clears it.
        rng = batchRNG ?? rng
        let (correct, counted) = SoftmaxCrossEntropy.accuracyCounts(logits: logits, labels: labels(of: batch))
        return BatchResult(loss: loss, weight: weight, correct: correct, counted: counted)
    }

    public func evaluationStep(_ examples: [SequenceExample], classWeights: [Float]?) throws -> BatchResult {
        let batch = SequenceBatch(examples)
        let logits = try logits(batch)
        let labels = labels(of: batch)
        let (loss, _, weight) = SoftmaxCrossEntropy.lossAndGradient(
            logits: logits, labels: labels, classWeights: classWeights)
        let (correct, counted) = SoftmaxCrossEntropy.accuracyCounts(logits: logits, labels: labels)
        return BatchResult(loss: loss, weight: weight, correct: correct, counted: counted)
    }

    func labels(of batch: SequenceBatch) -> [Int] {
        configuration.task == .frames ? batch.frameLabels : batch.clipLabels
    }

    public static func length(of example: SequenceExample) -> Int { example.length }

    public static func fingerprint(_ example: SequenceExample, _ mix: (Int) -> Void) {
        mix(example.length)
        mix(example.clipLabel ?? -2)
        example.frameLabels?.forEach(mix)
    }

    public func validate(_ examples: [SequenceExample], name: String) throws {
        let config = configuration
        for (i, example) in examples.enumerated() {
            guard example.length > 0, example.features.shape[1] == config.inputSize else {
                throw SequenceModelError(
                    .invalidData,
                    "\(name) example \(i) has features \(example.features.shape), expected [T ≥ 1, \(config.inputSize)]"
                )
            }
            let labels = config.task == .frames ? (example.frameLabels ?? []) : [example.clipLabel ?? -2]
            guard labels.allSatisfy({ $0 >= -1 && $0 < config.classCount }) && !labels.isEmpty else {
                throw SequenceModelError(
                    .invalidData, "\(name) example \(i) has labels outside 0..<\(config.classCount) (or none)")
            }
        }
    }
}

extension SoftmaxCrossEntropy {
    /// Rows whose arg-max logit equals the label, and rows with a label.
    public static func accuracyCounts(logits: Tensor, labels: [Int]) -> (correct: Int, counted: Int) {
        guard logits.shape[1] > 0 else { return (0, 0) }
        let top = argmaxRows(logits)
        var (correct, counted) = (0, 0)
        for (row, label) in labels.enumerated() where label != ignoreLabel {
            counted += 1
            if top[row] == label { correct += 1 }
        }
        return (correct, counted)
    }

    /// The arg-max class of each row of `[M, C]` logits (C ≥ 1; the first among equal maxima;
    /// NaN never wins unless it is the first value). Rows split over the cores; each row's maximum
    /// on SIMD lanes (`VectorMath.rowMax`), then the first index holding it: the answer of
    /// `argmaxRowNaive`, the twin the tests compare with.
    static func argmaxRows(_ logits: Tensor) -> [Int] {
        let (rows, classes) = (logits.shape[0], logits.shape[1])
        var best = [Int](repeating: 0, count: rows)
        logits.storage.withUnsafeBufferPointer { z in
            best.withUnsafeMutableBufferPointer { best in
                let (z, best) = (z.start, best.start)
                ParallelRows.forEach(rows, valuesPerRow: classes) { range in
                    for row in range { best[row] = argmaxRow(z + row * classes, count: classes) }
                }
            }
        }
        return best
    }

    /// `argmaxRows` of one row of `count` ≥ 1 values.
    static func argmaxRow(_ x: UnsafePointer<Float>, count: Int) -> Int {
        // A NaN first value stays the answer (nothing compares greater than it); after that, NaNs
        // never become the maximum, as they never win the one-at-a-time comparison.
        guard count >= 2 * VectorMath.Vector.scalarCount && !x[0].isNaN else {
            return argmaxRowNaive(x, count: count)
        }
        let top = VectorMath.rowMax(x, count: count)
        for j in 0..<count where x[j] == top { return j }
        return 0  // every value NaN but the first: unreachable after the guard, kept for safety
    }

    /// The one-at-a-time loop: the first index whose value is greater than every earlier one's best.
    static func argmaxRowNaive(_ x: UnsafePointer<Float>, count: Int) -> Int {
        var best = 0
        for j in 1..<count where x[j] > x[best] { best = j }
        return best
    }
}
