// Softmax cross-entropy over logits `[M, C]` (M rows, C classes), as
// `torch.nn.functional.cross_entropy(logits, labels, weight: w, ignore_index: -1)` with mean
// reduction: rows labelled `ignoreLabel` count for nothing, and
//   loss = Σ_i w[y_i]·(−log softmax(z_i)[y_i]) / Σ_i w[y_i]
//   ∂loss/∂z_i = w[y_i]·(softmax(z_i) − onehot(y_i)) / Σ_i w[y_i]
// When every row is ignored the loss and gradient are 0 (PyTorch returns NaN). Sums in Double.

import CKernels
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
                for row in range { _ = softmaxRow(base + row * classes, count: classes) }
            }
        }
        return Tensor(shape: logits.shape, storage: out)
    }

    /// Replaces the `count` logits at `x` by `factor` times their softmax and returns log Σ e^(x − max)
    /// and the max, so that log softmax(x)_j = x_j − max − logSum without a log per value. e^x runs
    /// on SIMD lanes (`VectorMath.exp`, a few ulps from `expf`); the sum is in Double.
    /// `kernel` `.avx2`: `CKernels`' twin (the same steps with AVX2 + FMA; the sum of each eight
    /// lanes may differ in its last float bits).
    @inline(__always)
    static func softmaxRow(
        _ x: UnsafeMutablePointer<Float>, count: Int, times factor: Double = 1, kernel: ElementwiseKernel = .best
    ) -> (logSum: Double, max: Float) {
        if kernel == .avx2 {
            var top: Float = 0
            let logSum = vidact_softmax_row_avx2(x, count, factor, &top)
            return (logSum, top)
        }
        typealias Vector = VectorMath.Vector
        let width = Vector.scalarCount
        let whole = count - count % width
        let top = VectorMath.rowMax(x, count: count)
        var sum: Double = 0
        var i = 0
        while i < whole {
            let e = VectorMath.exp(UnsafeRawPointer(x + i).loadUnaligned(as: Vector.self) - top)
            UnsafeMutableRawPointer(x + i).storeBytes(of: e, as: Vector.self)
            sum += Double(e.sum())
            i += width
        }
        for j in whole..<count {
            x[j] = expf(x[j] - top)
            sum += Double(x[j])
        }
        let inverse = Float(factor / sum)
        for j in 0..<count { x[j] *= inverse }
        return (log(sum), top)
    }

    /// The weighted mean loss, its gradient with respect to the logits, and the total weight of the
    /// counted rows (0 when all are ignored). `classWeights` defaults to 1 for every class.
    public static func lossAndGradient(
        logits: Tensor, labels: [Int], classWeights: [Float]? = nil
    ) -> (loss: Float, gradient: Tensor, weight: Float) {
        precondition(
            logits.rank == 2 && labels.count == logits.shape[0],
            "SoftmaxCrossEntropy: logits \(logits.shape) and \(labels.count) labels")
        let classes = logits.shape[1]
        precondition((classWeights?.count ?? classes) == classes, "SoftmaxCrossEntropy: class weights")
        precondition(
            labels.allSatisfy { $0 == ignoreLabel || ($0 >= 0 && $0 < classes) },
            "SoftmaxCrossEntropy: labels must be in 0..<\(classes) or \(ignoreLabel)")
        var total: Double = 0
        for label in labels where label != ignoreLabel { total += Double(classWeights?[label] ?? 1) }
        guard total > 0 else { return (0, Tensor(zeros: logits.shape), 0) }
        // The softmax is written into the gradient buffer and turned into w·(p − onehot)/Σw.
        let (gradient, loss) = rewritingRows(of: logits) { row, x in
            let label = labels[row]
            guard label != ignoreLabel else {
                x.update(repeating: 0, count: classes)
                return 0
            }
            let logit = x[label]
            let w = Double(classWeights?[label] ?? 1)
            let (logSum, top) = softmaxRow(x, count: classes, times: w / total)
            x[label] -= Float(w / total)
            // −log p_y = max + log Σ − z_y, capped where p_y < 1e-30 as before.
            return w * min(Double(top) + logSum - Double(logit), -log(1e-30))
        }
        return (Float(loss / total), gradient, Float(total))
    }

    /// Rewrites each row of `logits` (`[M, C]`) in place, one pass per row split over the cores:
    /// `rewrite` gets the row's index and values and returns its loss. Returns the rewritten
    /// values and the sum of the row losses (added in row order, so it does not depend on the split).
    static func rewritingRows(
        of logits: Tensor, _ rewrite: (Int, UnsafeMutablePointer<Float>) -> Double
    ) -> (Tensor, Double) {
        let (rows, classes) = (logits.shape[0], logits.shape[1])
        var values = logits.storage
        var rowLoss = [Double](repeating: 0, count: rows)
        values.withUnsafeMutableBufferPointer { values in
            rowLoss.withUnsafeMutableBufferPointer { rowLoss in
                let (values, rowLoss) = (values.start, rowLoss.start)
                ParallelRows.forEach(rows, valuesPerRow: classes) { range in
                    for row in range { rowLoss[row] = rewrite(row, values + row * classes) }
                }
            }
        }
        return (Tensor(shape: logits.shape, storage: values), rowLoss.reduce(0, +))
    }
}
