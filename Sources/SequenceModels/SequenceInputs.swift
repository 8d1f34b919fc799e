// What the sequence model reads at each step: the frame features, their change since the previous
// frame, or both side by side — and, for volumes with motion descriptors, the motion beside (or
// instead of) them. The change is computed inside the model from the features it is given, so a
// checkpoint records it and prediction applies it without the caller knowing.
//
// Why differences: on clips whose classes differ only in frame order (grow / shrink, fade in /
// out), the frame features carry the appearance and their differences carry the direction of
// change. An LSTM on raw features must learn to subtract neighbouring steps from few examples and
// tends to memorise appearance instead; given the differences, it integrates the change over time.
// Why motion: appearance features barely change when the camera pans or an object crosses a
// scene the model has not seen; the motion descriptor measures it directly.
//
// With motion, each step's given vector is [x_t (D), m_t (D_m)] (the caller concatenates the
// volume's features and motion); the encoded step is [encoding of x_t, m_t], or m_t alone.
// Shapes: T steps, N batch, D feature width, D_m motion width; rows of `[T, N, ·]` are t·N + n.

import TensorCore

/// The per-step input of a `SequenceClassifier`.
public enum SequenceInputs: String, Codable, Sendable, CaseIterable {
    /// The features x_t as they are.
    case features
    /// x_t − x_{t−1}, and zero at the first step of each sequence.
    case differences
    /// [x_t, x_t − x_{t−1}] concatenated (width 2·D).
    case both
    /// The motion descriptor m_t alone.
    case motion
    /// [x_t, m_t].
    case featuresAndMotion = "features+motion"
    /// [x_t − x_{t−1}, m_t].
    case differencesAndMotion = "differences+motion"
    /// [x_t, x_t − x_{t−1}, m_t].
    case bothAndMotion = "both+motion"

    /// Whether the model reads motion descriptors (so volumes must have them).
    public var usesMotion: Bool { appearance != self }

    /// The encoding of the appearance part: features, differences, both, or nil (motion alone).
    var appearance: SequenceInputs? {
        switch self {
        case .features, .featuresAndMotion: return .features
        case .differences, .differencesAndMotion: return .differences
        case .both, .bothAndMotion: return .both
        case .motion: return nil
        }
    }

    /// The width of the encoded input for given steps of width `featureWidth`, of which the last
    /// `motionWidth` are motion.
    public func width(featureWidth: Int, motionWidth: Int = 0) -> Int {
        let appearanceWidth = featureWidth - motionWidth
        switch appearance {
        case .both: return 2 * appearanceWidth + motionWidth
        case nil: return motionWidth
        default: return appearanceWidth + motionWidth
        }
    }

    /// Encodes a padded batch `[T, N, D + D_m]` whose sequence n has `lengths[n]` valid steps;
    /// padded steps stay zero.
    func encode(_ input: Tensor, lengths: [Int], motionWidth: Int = 0) -> Tensor {
        if self == .features { return input }
        let (steps, size, given) = (input.shape[0], input.shape[1], input.shape[2])
        let width = given - motionWidth
        let outWidth = self.width(featureWidth: given, motionWidth: motionWidth)
        let mode = appearance
        let copies = mode == .features || mode == .both
        let differenceOffset = mode == .both ? width : 0
        let motionOffset = outWidth - motionWidth
        var out = [Float](repeating: 0, count: steps * size * outWidth)
        input.storage.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for n in 0..<size {
                    for t in 0..<min(lengths[n], steps) {
                        let source = (t * size + n) * given
                        let target = (t * size + n) * outWidth
                        for j in 0..<motionWidth { y[target + motionOffset + j] = x[source + width + j] }
                        guard mode != nil else { continue }
                        if copies {
                            for j in 0..<width { y[target + j] = x[source + j] }
                        }
                        guard mode != .features, t > 0 else { continue }
                        let previous = ((t - 1) * size + n) * given
                        for j in 0..<width { y[target + differenceOffset + j] = x[source + j] - x[previous + j] }
                    }
                }
            }
        }
        return Tensor(shape: [steps, size, outWidth], storage: out)
    }
}
