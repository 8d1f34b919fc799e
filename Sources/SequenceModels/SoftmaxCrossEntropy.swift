// Softmax cross-entropy over logits `[M, C]` (M rows, C classes), as
// `torch.nn.functional.cross_entropy(logits, labels, weight: w, ignore_index: -1)` with mean
// reduction: rows labelled `ignoreLabel` count for nothing, and
//   loss = Σ_i w[y_i]·(−log softmax(z_i)[y_i]) / Σ_i w[y_i]
//   ∂loss/∂z_i = w[y_i]·(softmax(z_i) − onehot(y_i)) / Σ_i w[y_i]
// When every row is ignored the loss and gradient are 0 (PyTorch returns NaN). Sums in Double.

import Foundation
import TensorCore

/// Softmax cross-entropy with class weights and an ignore label.
public enum SoftmaxCrossEntropy {
    /// The label of unlabelled rows (frames).
    public static let ignoreLabel = -1

    /// Row-wise softmax of `[M, C]` logits (max subtracted first).
    public static func softmax(_ logits: Tensor) -> Tensor {
        precondition(logits.rank == 2, "SoftmaxCrossEntropy.softmax: logits \(logits.shape) must be [M, C]")
        let (rows, classes) = (logits.shape[0], logits.shape[1])
        var out = logits.storage
        guard classes > 0 else { return logits }
        out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.start
            ParallelRows.forEach(rows, valuesPerRow: classes) { range in
                for row in range {
                    let x = base + row * classes
                    var top = x[0]
                    for i in 1..<classes where x[i] > top { top = x[i] }
                    var sum: Double = 0
                    for i in 0..<classes {
                        x[i] = expf(x[i] - top)
                        sum += Double(x[i])
                    }
                    for i in 0..<classes { x[i] = Float(Double(x[i]) / sum) }
                }
            }
        }
        return Tensor(shape: logits.shape, storage: out)
    }

    /// The weighted mean loss, its gradient with respect to the logits, and the total weight of the
    /// counted rows (0 when all are ignored). `classWeights` defaults to 1 for every class.
    public static func lossAndGradient(
        logits: Tensor, labels: [Int], classWeights: [Float]? = nil
    ) -> (loss: Float, gradient: Tensor, weight: Float) {
        precondition(
            logits.rank == 2 && labels.count == logits.shape[0],
            "SoftmaxCrossEntropy: logits \(logits.shape) and \(labels.count) labels")
        let (rows, classes) = (logits.shape[0], logits.shape[1])
        precondition((classWeights?.count ?? classes) == classes, "SoftmaxCrossEntropy: class weights")
        precondition(
            labels.allSatisfy { $0 == ignoreLabel || ($0 >= 0 && $0 < classes) },
            "SoftmaxCrossEntropy: labels must be in 0..<\(classes) or \(ignoreLabel)")
        let probabilities = softmax(logits)
        var gradient = [Float](repeating: 0, count: logits.count)
        var total: Double = 0
        var loss: Double = 0
        for row in 0..<rows where labels[row] != ignoreLabel {
            let w = Double(classWeights?[labels[row]] ?? 1)
            total += w
            loss -= w * log(max(Double(probabilities.storage[row * classes + labels[row]]), 1e-30))
        }
        guard total > 0 else { return (0, Tensor(zeros: logits.shape), 0) }
        probabilities.storage.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { g in
                let (p, g) = (p.start, g.start)
                ParallelRows.forEach(rows, valuesPerRow: classes) { range in
                    for row in range where labels[row] != ignoreLabel {
                        let scale = Double(classWeights?[labels[row]] ?? 1) / total
                        for j in 0..<classes {
                            let q = Double(p[row * classes + j])
                            g[row * classes + j] = Float(scale * (q - (j == labels[row] ? 1 : 0)))
                        }
                    }
                }
            }
        }
        return (Float(loss / total), Tensor(shape: logits.shape, storage: gradient), Float(total))
    }
}
