// One training or evaluation example of the sequence stage: a video's feature volume with its
// labels, and the batch that packs several of them for the LSTM. Shapes: T sampled frames,
// D feature width, N examples in a batch, T_max the longest of them; batches are time-major
// (`[T_max, N, D]`, row t·N + n), shorter examples padded with zeros and masked by their lengths.

import SafeTensors
import TensorCore

/// A video's features `[T, D]` and its labels: a class for the clip task, one class per frame
/// (−1 = unlabelled) for the frames task.
public struct SequenceExample: Sendable {
    public var features: Tensor
    public var clipLabel: Int?
    public var frameLabels: [Int]?

    public init(features: Tensor, clipLabel: Int? = nil, frameLabels: [Int]? = nil) {
        precondition(features.rank == 2, "SequenceExample: features \(features.shape) must be [T, D]")
        precondition(
            (frameLabels?.count ?? features.shape[0]) == features.shape[0],
            "SequenceExample: \(frameLabels?.count ?? 0) frame labels for \(features.shape[0]) frames")
        self.features = features
        self.clipLabel = clipLabel
        self.frameLabels = frameLabels
    }

    /// Number of frames T.
    public var length: Int { features.shape[0] }

    /// The `features` tensor `[T, D]` (F16 or F32) of a vidact feature file, as F32.
    public static func loadFeatures(path: String) throws -> Tensor {
        let features = try SafeTensorsFile(path: path).tensor("features")
        guard features.rank == 2 else {
            throw SafeTensorsError(
                .wrongShape, path: path, "tensor \"features\" has shape \(features.shape), expected [T, D]",
                tensor: "features")
        }
        return features
    }

    /// A seeded split into (train, validation) with `validationFraction` of the examples (rounded,
    /// at least 1 when the fraction is positive and there are 2 or more examples).
    public static func split(
        _ examples: [SequenceExample], validationFraction: Double, seed: UInt64
    ) -> (train: [SequenceExample], validation: [SequenceExample]) {
        var rng = SeededRNG(seed: seed)
        var order = Array(examples.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        var count = Int((Double(examples.count) * validationFraction).rounded())
        if validationFraction > 0 && examples.count >= 2 { count = min(max(count, 1), examples.count - 1) }
        return (order.dropFirst(count).map { examples[$0] }, order.prefix(count).map { examples[$0] })
    }
}

/// Examples packed time-major with zero padding.
struct SequenceBatch {
    /// `[T_max, N, D]`.
    var input: Tensor
    var lengths: [Int]
    /// Per example; −1 where an example has none.
    var clipLabels: [Int]
    /// `[T_max·N]`, row t·N + n; −1 at padded and unlabelled frames.
    var frameLabels: [Int]

    init(_ examples: [SequenceExample]) {
        let width = examples.first?.features.shape[1] ?? 0
        let steps = examples.map(\.length).max() ?? 0
        let batch = examples.count
        var values = [Float](repeating: 0, count: steps * batch * width)
        var frameLabels = [Int](repeating: -1, count: steps * batch)
        for (n, example) in examples.enumerated() {
            precondition(example.features.shape[1] == width, "SequenceBatch: feature widths differ")
            for t in 0..<example.length {
                let target = (t * batch + n) * width
                values.replaceSubrange(
                    target..<(target + width), with: example.features.storage[(t * width)..<((t + 1) * width)])
                frameLabels[t * batch + n] = example.frameLabels?[t] ?? -1
            }
        }
        input = Tensor(shape: [steps, batch, width], storage: values)
        lengths = examples.map(\.length)
        clipLabels = examples.map { $0.clipLabel ?? -1 }
        self.frameLabels = frameLabels
    }
}
