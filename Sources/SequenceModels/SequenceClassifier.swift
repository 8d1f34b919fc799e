// The sequence model: the step inputs (features, their differences or both; `SequenceInputs`) →
// optional input dropout → optional linear projection to a smaller width → LSTM → linear head, for one of two tasks:
//   clip   (many-to-one) the video's class from the LSTM outputs pooled over valid steps: `last`
//          (the forward direction's last valid step, and when bidirectional the reverse
//          direction's output at step 0, i.e. its last step), `mean` or `max`;
//   frames (many-to-many) a class for every sampled frame.
// Parameters live in one flat buffer under PyTorch names: `proj.weight` `[P, D]`, `proj.bias`,
// `lstm.weight_ih_l0` … (as `torch.nn.LSTM`), `head.weight` `[C, D_lstm]`, `head.bias`. Shapes:
// T steps, N batch, D input width, P projection width, H hidden, C classes.

import Foundation
import TensorCore

/// How the clip task pools the LSTM outputs over time.
public enum ClipPooling: String, Codable, Sendable, CaseIterable {
    case last, mean, max
}

/// What the model predicts.
public enum SequenceTask: Codable, Equatable, Sendable {
    case clip(ClipPooling)
    case frames
}

/// Hyperparameters of a `SequenceClassifier`.
public struct SequenceClassifierConfiguration: Codable, Equatable, Sendable {
    public var inputSize: Int
    /// Width of the linear input projection; nil for none.
    public var projectionSize: Int?
    public var hiddenSize: Int
    public var layers: Int
    public var bidirectional: Bool
    /// Dropout between LSTM layers.
    public var lstmDropout: Float
    /// Dropout on the input features (training only).
    public var inputDropout: Float
    public var classCount: Int
    public var task: SequenceTask
    /// What the LSTM reads at each step; nil (checkpoints written before it existed) = features.
    public var stepInputs: SequenceInputs?
    /// With motion inputs: D_m, the last `motionWidth` values of each given step (nil otherwise).
    public var motionWidth: Int?
    /// With motion inputs: per-dimension mean and 1/std of the encoded steps over the training
    /// split, applied as (x − mean) · scale before the projection (nil otherwise, so models
    /// without motion are computed, and stored, as before).
    public var inputMean: [Float]?
    public var inputScale: [Float]?

    /// What the LSTM reads at each step.
    public var inputs: SequenceInputs { stepInputs ?? .features }
    /// Width of the encoded step inputs (`SequenceInputs.width`).
    public var encodedInputSize: Int { inputs.width(featureWidth: inputSize, motionWidth: motionWidth ?? 0) }

    public init(
        inputSize: Int, projectionSize: Int? = nil, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false,
        lstmDropout: Float = 0, inputDropout: Float = 0, classCount: Int, task: SequenceTask,
        inputs: SequenceInputs = .features, motionWidth: Int? = nil
    ) {
        precondition(classCount >= 2 && inputDropout >= 0 && inputDropout < 1, "SequenceClassifierConfiguration")
        self.inputSize = inputSize
        self.projectionSize = projectionSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.bidirectional = bidirectional
        self.lstmDropout = lstmDropout
        self.inputDropout = inputDropout
        self.classCount = classCount
        self.task = task
        // Kept nil for plain features, so such a model's JSON (and checkpoint) is as before.
        self.stepInputs = inputs == .features ? nil : inputs
        precondition(
            inputs.usesMotion == (motionWidth != nil) && (motionWidth ?? 0) < inputSize + (inputs == .motion ? 1 : 0),
            "SequenceClassifierConfiguration: inputs \(inputs.rawValue) with motion width \(motionWidth ?? 0)")
        self.motionWidth = motionWidth
    }

    /// Sets `inputMean` and `inputScale` from the encoded steps of `examples` (the training split):
    /// each dimension z-scored (one that does not vary gets 1/std = 1), and each input group
    /// weighted by √(smallest group width / its width).
    public mutating func normalizeInputs(over examples: [SequenceExample]) {
        let width = encodedInputSize
        var sum = [Double](repeating: 0, count: width)
        var squares = [Double](repeating: 0, count: width)
        var count = 0.0
        for example in examples {
            let batch = SequenceBatch([example])
            let encoded = inputs.encode(batch.input, lengths: batch.lengths, motionWidth: motionWidth ?? 0)
            for t in 0..<example.length {
                for j in 0..<width {
                    let value = Double(encoded.storage[t * width + j])
                    sum[j] += value
                    squares[j] += value * value
                }
            }
            count += Double(example.length)
        }
        guard count > 0 else { return }
        let mean = sum.map { $0 / count }
        inputMean = mean.map(Float.init)
        let groups = inputGroups
        let smallest = Double(groups.map(\.count).min() ?? 1)
        var scale = [Float](repeating: 1, count: width)
        for group in groups {
            // Each group (features, differences, motion) weighs the same in total: z-scored, then
            // scaled by √(smallest group / this group), so 1280 appearance values do not drown 43
            // motion values in the projection (which otherwise learns the training scenes).
            let weight = (smallest / Double(group.count)).squareRoot()
            for j in group {
                let deviation = (max(0, squares[j] / count - mean[j] * mean[j])).squareRoot()
                scale[j] = Float((deviation > 1e-6 ? 1 / deviation : 1) * weight)
            }
        }
        inputScale = scale
    }

    /// The ranges of the encoded step that hold features, differences and motion.
    var inputGroups: [Range<Int>] {
        let motion = motionWidth ?? 0
        let appearance = inputSize - motion
        var groups: [Range<Int>] = []
        var start = 0
        switch inputs.appearance {
        case .both?: groups += [0..<appearance, appearance..<(2 * appearance)]
        case nil: break
        default: groups.append(0..<appearance)
        }
        start = groups.last?.upperBound ?? 0
        if motion > 0 { groups.append(start..<(start + motion)) }
        return groups.filter { !$0.isEmpty }
    }

    /// The LSTM part.
    public var lstm: LSTMConfiguration {
        LSTMConfiguration(
            inputSize: projectionSize ?? encodedInputSize, hiddenSize: hiddenSize, layers: layers,
            bidirectional: bidirectional, dropout: lstmDropout)
    }
}

/// Step inputs → input dropout → projection → LSTM → head, on one flat parameter buffer.
public struct SequenceClassifier: Sendable {
    public let configuration: SequenceClassifierConfiguration
    /// Names, shapes and offsets of `parameters`.
    public let layout: ParameterLayout
    /// Every weight and bias, in `layout` order.
    public var parameters: [Float]
    let projection: Linear?
    let lstm: LSTM
    let head: Linear

    /// A model initialised as PyTorch does (`torch.nn.Linear`, `torch.nn.LSTM`: uniform in
    /// ±1/√fan_in, fan_in = H for the LSTM), from `seed`.
    public init(configuration: SequenceClassifierConfiguration, seed: UInt64) {
        var layout = ParameterLayout()
        projection = configuration.projectionSize.map {
            Linear(inputSize: configuration.encodedInputSize, outputSize: $0, layout: &layout, prefix: "proj.")
        }
        lstm = LSTM(configuration: configuration.lstm, layout: &layout, prefix: "lstm.")
        head = Linear(
            inputSize: configuration.lstm.outputSize, outputSize: configuration.classCount, layout: &layout,
            prefix: "head.")
        self.configuration = configuration
        self.layout = layout
        var rng = SeededRNG(seed: seed)
        var parameters = [Float](repeating: 0, count: layout.count)
        for entry in layout.entries {
            let fanIn =
                entry.name.hasPrefix("lstm.")
                ? configuration.hiddenSize
                : (layout.entry(
                    entry.name.replacingOccurrences(of: "bias", with: "weight"))?.shape.last ?? 1)
            let bound = 1 / Float(fanIn).squareRoot()
            for i in entry.range { parameters[i] = rng.uniform(-bound, bound) }
        }
        self.parameters = parameters
    }

    /// Class probabilities for one video's features `[T, D]`: `[C]` for the clip task, `[T, C]`
    /// for the frames task (no dropout). T must be at least 1.
    public func predict(features: Tensor) throws -> Tensor {
        precondition(
            features.rank == 2 && features.shape[0] > 0 && features.shape[1] == configuration.inputSize,
            "SequenceClassifier.predict: features \(features.shape), expected [T ≥ 1, \(configuration.inputSize)]")
        let logits = try logits(SequenceBatch([SequenceExample(features: features)]))
        let probabilities = SoftmaxCrossEntropy.softmax(logits)
        if case .clip = configuration.task { return probabilities.reshaped([configuration.classCount]) }
        return probabilities
    }

    /// Logits without dropout: `[N, C]` (clip) or `[T_max·N, C]` (frames, row t·N + n).
    func logits(_ batch: SequenceBatch) throws -> Tensor {
        var none: SeededRNG? = nil
        return try forward(batch, rng: &none).logits
    }
}
