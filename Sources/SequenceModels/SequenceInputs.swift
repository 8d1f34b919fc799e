// What the sequence model reads at each step: the frame features, their change since the previous
// frame, or both side by side. The change is computed inside the model from the features it is
// given, so a checkpoint records it and prediction applies it without the caller knowing.
//
// Why differences: on clips whose classes differ only in frame order (grow / shrink, fade in /
// out), the frame features carry the appearance and their differences carry the direction of
// change. An LSTM on raw features must learn to subtract neighbouring steps from few examples and
// tends to memorise appearance instead; given the differences, it integrates the change over time.
// Shapes: T steps, N batch, D feature width; rows of `[T, N, D]` are t·N + n.

import TensorCore

/// The per-step input of a `SequenceClassifier`.
public enum SequenceInputs: String, Codable, Sendable, CaseIterable {
    /// The features x_t as they are.
    case features
    /// x_t − x_{t−1}, and zero at the first step of each sequence.
    case differences
    /// [x_t, x_t − x_{t−1}] concatenated (width 2·D).
    case both

    /// The width of the encoded input for features of width `featureWidth`.
    public func width(featureWidth: Int) -> Int {
        self == .both ? 2 * featureWidth : featureWidth
    }

    /// Encodes a padded batch `[T, N, D]` whose sequence n has `lengths[n]` valid steps; padded
    /// steps stay zero.
    func encode(_ input: Tensor, lengths: [Int]) -> Tensor {
        if self == .features { return input }
        let (steps, size, width) = (input.shape[0], input.shape[1], input.shape[2])
        let outWidth = self.width(featureWidth: width)
        let offset = self == .both ? width : 0
        var out = [Float](repeating: 0, count: steps * size * outWidth)
        input.storage.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for n in 0..<size {
                    for t in 0..<min(lengths[n], steps) {
                        let source = (t * size + n) * width
                        let target = (t * size + n) * outWidth
                        if self == .both {
                            for j in 0..<width { y[target + j] = x[source + j] }
                        }
                        guard t > 0 else { continue }
                        let previous = ((t - 1) * size + n) * width
                        for j in 0..<width { y[target + offset + j] = x[source + j] - x[previous + j] }
                    }
                }
            }
        }
        return Tensor(shape: [steps, size, outWidth], storage: out)
    }
}
