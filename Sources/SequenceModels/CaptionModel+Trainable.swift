// `CaptionModel` as a `TrainableModel`: batches of `CaptionExample`s, teacher forcing, the mean
// word loss (with label smoothing as `torch.nn.functional.cross_entropy(label_smoothing: ε)`:
// (1 − ε)·(−log p_y) + ε·mean_j(−log p_j)), and word accuracy (arg-max = target) as the metric.
import Foundation
import TensorCore

extension CaptionModel: TrainableModel {
    public func trainingStep(
        _ examples: [CaptionExample], rng: inout SeededRNG, classWeights: [Float]?, gradients: inout [Float]
    ) throws -> BatchResult {
        var batch = CaptionBatch(examples, model: self)
        if let p = configuration.inputDropout { batch = batch.droppingFrames(p, rng: &rng) }
        if let p = configuration.scheduledSampling {
            // Parallel scheduled sampling (Duckworth et al. 2019, one pass): a teacher-forced pass
            // predicts every word, then the words fed to the decoder are mixed from the references
            // and those predictions; the sampled words are inputs, no gradient flows through them.
            let guesses = try forward(batch).logits
            batch = batch.feeding(Self.argmaxPerExample(guesses, batch: batch), probability: p, rng: &rng)
        }
        let pass = try forward(batch)
        let targets = batch.targets
        let (loss, dLogits) = Self.smoothedLoss(pass.logits, targets, smoothing: configuration.labelSmoothing)
        try backward(batch, pass: pass, dLogits: dLogits, gradients: &gradients)
        let (correct, counted) = SoftmaxCrossEntropy.accuracyCounts(logits: pass.logits, labels: targets)
        return BatchResult(loss: loss, weight: Float(targets.count), correct: correct, counted: counted)
    }

    public func evaluationStep(_ examples: [CaptionExample], classWeights: [Float]?) throws -> BatchResult {
        let batch = CaptionBatch(examples, model: self)
        let logits = try forward(batch).logits
        let targets = batch.targets
        let (loss, _, _) = SoftmaxCrossEntropy.lossAndGradient(logits: logits, labels: targets)
        let (correct, counted) = SoftmaxCrossEntropy.accuracyCounts(logits: logits, labels: targets)
        return BatchResult(loss: loss, weight: Float(targets.count), correct: correct, counted: counted)
    }

    /// Per example, the arg-max word of each decoding step of teacher-forced `logits` (rows in
    /// `batch.targetSteps` order).
    static func argmaxPerExample(_ logits: Tensor, batch: CaptionBatch) -> [[Int]] {
        let top = SoftmaxCrossEntropy.argmaxRows(logits)
        var predicted = batch.examples.map { [Int](repeating: 0, count: $0.words.count) }
        for (row, (n, t)) in batch.targetSteps.enumerated() { predicted[n][t - batch.decodeStart[n]] = top[row] }
        return predicted
    }

    /// Mean cross-entropy with label smoothing ε and its gradient (ε = 0: `SoftmaxCrossEntropy`).
    static func smoothedLoss(_ logits: Tensor, _ labels: [Int], smoothing: Float) -> (Float, Tensor) {
        guard smoothing > 0 else {
            let (loss, gradient, _) = SoftmaxCrossEntropy.lossAndGradient(logits: logits, labels: labels)
            return (loss, gradient)
        }
        let (rows, classes) = (logits.shape[0], logits.shape[1])
        let epsilon = Double(smoothing)
        // Per row, in place and split over the cores, with log p_j = z_j − max − log Σ (as
        // `F.cross_entropy(label_smoothing:)`'s log-softmax):
        //   loss = (1 − ε)·(−log p_y) + ε·mean_j(−log p_j),  mean_j(−log p_j) = max + log Σ − mean(z)
        //   gradient = (p − (1 − ε)·onehot(y) − ε/C) / M
        let (gradient, loss) = SoftmaxCrossEntropy.rewritingRows(of: logits) { row, x in
            let label = labels[row]
            var sum: Double = 0
            for j in 0..<classes { sum += Double(x[j]) }
            let logit = Double(x[label])
            let (logSum, top) = SoftmaxCrossEntropy.softmaxRow(x, count: classes, times: 1 / Double(rows))
            let uniform = Float(epsilon / Double(classes) / Double(rows))
            for j in 0..<classes { x[j] -= uniform }
            x[label] -= Float((1 - epsilon) / Double(rows))
            let logNormaliser = Double(top) + logSum
            return (1 - epsilon) * (logNormaliser - logit) + epsilon * (logNormaliser - sum / Double(classes))
        }
        return (Float(loss / Double(max(rows, 1))), gradient)
    }

    public static func length(of example: CaptionExample) -> Int { example.features.shape[0] + example.words.count }

    public static func fingerprint(_ example: CaptionExample, _ mix: (Int) -> Void) {
        mix(example.features.shape[0])
        mix(example.words.count)
        example.words.forEach(mix)
    }

    public func validate(_ examples: [CaptionExample], name: String) throws {
        let c = configuration
        for (i, example) in examples.enumerated() {
            guard example.features.shape[1] == c.inputSize else {
                throw SequenceModelError(
                    .invalidData,
                    "\(name) example \(i) has features \(example.features.shape), expected [T, \(c.inputSize)]")
            }
            guard example.words.last == CaptionTokens.eos,
                example.words.allSatisfy({ $0 >= 0 && $0 < c.vocabularySize && $0 != CaptionTokens.bos })
            else {
                throw SequenceModelError(
                    .invalidData, "\(name) example \(i) has word ids outside the vocabulary or no final <eos>")
            }
        }
    }
}
