// The order-blind baseline of the demo: the mean of a video's feature rows over time, then one
// linear layer and softmax (`torch.nn.Linear` on the pooled features). Whatever the frame order,
// the pooled vector is the same, so on classes that differ only in the order of their frames it
// cannot beat chance — the control that shows the LSTM is using order. Trained full-batch with
// AdamW and softmax cross-entropy, deterministic for a seed.
//
// Shapes: N videos, T frames (varies), D feature width, C classes; pooled [N, D]; logits [N, C].
import TensorCore

/// Mean over time → linear classifier.
public struct MeanPoolBaseline: Sendable {
    public let inputSize: Int
    public let classCount: Int
    let linear: Linear
    public private(set) var parameters: [Float]

    /// Weights uniform in ±1/√D, as `torch.nn.Linear`'s default initialisation.
    public init(inputSize: Int, classCount: Int, seed: UInt64) {
        var layout = ParameterLayout()
        linear = Linear(inputSize: inputSize, outputSize: classCount, layout: &layout, prefix: "")
        self.inputSize = inputSize
        self.classCount = classCount
        var rng = SeededRNG(seed: seed)
        let bound = 1 / Float(inputSize).squareRoot()
        parameters = (0..<layout.count).map { _ in rng.uniform(-bound, bound) }
    }

    /// The mean of `features` [T, D] over T, as a [1, D] row.
    public static func pooled(_ features: Tensor) -> [Float] {
        let (t, d) = (features.shape[0], features.shape[1])
        var mean = [Float](repeating: 0, count: d)
        features.withUnsafeBufferPointer { x in
            for row in 0..<t { for col in 0..<d { mean[col] += x[row * d + col] } }
        }
        return mean.map { $0 / Float(max(t, 1)) }
    }

    /// Trains on the clip labels of `examples` (full batch, `epochs` AdamW steps).
    public mutating func train(
        _ examples: [SequenceExample], epochs: Int = 300, learningRate: Float = 1e-2, weightDecay: Float = 1e-2
    ) throws {
        let input = Tensor(shape: [examples.count, inputSize], storage: examples.flatMap { Self.pooled($0.features) })
        let labels = examples.map { $0.clipLabel ?? SoftmaxCrossEntropy.ignoreLabel }
        var optimizer = AdamOptimizer(kind: .adamw, parameterCount: parameters.count, weightDecay: weightDecay)
        for _ in 0..<epochs {
            let logits = try linear.forward(parameters: parameters, input: input)
            let (_, gradient, _) = SoftmaxCrossEntropy.lossAndGradient(logits: logits, labels: labels)
            var gradients = [Float](repeating: 0, count: parameters.count)
            try linear.accumulateParameterGradients(
                parameters: parameters, gradients: &gradients, input: input, outputGradient: gradient)
            optimizer.update(parameters: &parameters, gradients: gradients, learningRate: learningRate)
        }
    }

    /// Softmax probabilities [C] of one video.
    public func predict(_ features: Tensor) throws -> [Float] {
        let logits = try linear.forward(
            parameters: parameters, input: Tensor(shape: [1, inputSize], storage: Self.pooled(features)))
        return SoftmaxCrossEntropy.softmax(logits).storage
    }
}
