// The video-description model: many frames in, many words out, on one flat parameter buffer with
// PyTorch `state_dict` names. Three architectures with the same vocabulary, sizes and decoding:
//   s2vt       (Venugopalan et al. 2015) two stacked LSTMs over T + K steps. The encoder LSTM
//              reads the projected frames, then zeros while words are emitted; the decoder LSTM
//              reads [encoder output, word embedding], with a zero embedding during the frames,
//              <bos> at step T and the previous word after it. Frame order reaches the words.
//   mean-pool  the baseline: the mean of the projected frames, concatenated with the word
//              embedding, at every decoder step; frame order cannot reach the words.
//   attention  temporal soft attention (Yao et al. 2015; Bahdanau-style): an encoder LSTM reads
//              the projected frames; the decoder starts from its final state and, before each
//              word, scores every encoder output v_i, s_i = wᵀ tanh(W_q h + W_k v_i + b_k), and
//              reads their softmax-weighted mean beside the word embedding
//              (`CaptionModel+Attention`); the weights are exported with each caption. (Attention
//              straight over frame features would be blind to frame order: a weighted mean of a
//              set; the encoder's outputs carry where each frame is.)
// Parameters: `proj.weight` [P, D], `proj.bias`, (`encoder.*` torch.nn.LSTM(P, H) but mean-pool),
// `embed.weight` [V, E], (`attention.query.weight` [A, H], `attention.key.weight` [A, H],
// `attention.key.bias`, `attention.score.weight` [1, A] for attention), `decoder.*`
// torch.nn.LSTM(H + E, or P + E for mean-pool, H), `head.weight` [V, H],
// `head.bias`. Shapes: T frames, K target words (the caption's words then <eos>), D feature
// width, P projection, H hidden, E embedding, V vocabulary.
// `scripts/fixtures/make-caption-model-fixtures` builds the same model in PyTorch; the tests compare
// teacher-forced logits, gradients and greedy captions.
import Foundation
import TensorCore

/// Which caption model.
public enum CaptionArchitecture: String, Codable, Sendable, CaseIterable {
    case s2vt
    case meanPool = "mean-pool"
    case attention
}

/// Sizes of a `CaptionModel`.
public struct CaptionModelConfiguration: Codable, Equatable, Sendable {
    public var architecture: CaptionArchitecture
    public var inputSize: Int
    public var projectionSize: Int
    public var hiddenSize: Int
    public var embeddingSize: Int
    public var vocabularySize: Int
    /// Label smoothing ε of the word loss (training only; PyTorch's `label_smoothing`).
    public var labelSmoothing: Float
    /// What the projection reads at each frame: features, differences or both (`SequenceInputs`;
    /// nil = features). Motion inputs are not supported by caption models yet.
    public var stepInputs: SequenceInputs?
    /// Width A of the attention's hidden layer (attention only; nil otherwise).
    public var attentionSize: Int?
    /// Dropout on the encoded frame inputs (training only; nil = none).
    public var inputDropout: Float?
    /// Scheduled sampling (training only; nil = plain teacher forcing): the probability that the
    /// decoder is fed its own previous prediction instead of the reference word (see
    /// `CaptionModel+Trainable`).
    public var scheduledSampling: Float?

    public var inputs: SequenceInputs { stepInputs ?? .features }
    /// Width of the encoded frame inputs, the projection's input.
    public var encodedInputSize: Int { inputs.width(featureWidth: inputSize) }

    public init(
        architecture: CaptionArchitecture, inputSize: Int, projectionSize: Int, hiddenSize: Int, embeddingSize: Int,
        vocabularySize: Int, labelSmoothing: Float = 0, inputs: SequenceInputs = .features,
        attentionSize: Int? = nil, inputDropout: Float = 0, scheduledSampling: Float = 0
    ) {
        precondition(!inputs.usesMotion, "CaptionModelConfiguration: motion inputs are not supported")
        precondition(
            inputSize > 0 && projectionSize > 0 && hiddenSize > 0 && embeddingSize > 0 && vocabularySize > 4,
            "CaptionModelConfiguration: sizes must be positive and the vocabulary hold more than the specials")
        self.architecture = architecture
        self.inputSize = inputSize
        self.projectionSize = projectionSize
        self.hiddenSize = hiddenSize
        self.embeddingSize = embeddingSize
        self.vocabularySize = vocabularySize
        precondition(labelSmoothing >= 0 && labelSmoothing < 1, "CaptionModelConfiguration: label smoothing")
        self.labelSmoothing = labelSmoothing
        stepInputs = inputs == .features ? nil : inputs
        self.attentionSize = architecture == .attention ? max(attentionSize ?? hiddenSize, 1) : nil
        precondition(inputDropout >= 0 && inputDropout < 1, "CaptionModelConfiguration: input dropout")
        self.inputDropout = inputDropout > 0 ? inputDropout : nil
        precondition(scheduledSampling >= 0 && scheduledSampling <= 1, "CaptionModelConfiguration: scheduled sampling")
        self.scheduledSampling = scheduledSampling > 0 ? scheduledSampling : nil
    }

    /// Width of the decoder LSTM's input: [encoder output or mean frame, embedding].
    var decoderInputSize: Int { (architecture == .meanPool ? projectionSize : hiddenSize) + embeddingSize }
}

/// One training example: a video's features `[T, D]` and its target word ids (ending in <eos>).
public struct CaptionExample: Sendable {
    public var features: Tensor
    public var words: [Int]

    public init(features: Tensor, words: [Int]) {
        precondition(features.rank == 2 && features.shape[0] > 0 && !words.isEmpty, "CaptionExample")
        self.features = features
        self.words = words
    }
}

/// Word ids the model treats specially (as `TextMetrics.Vocabulary` numbers them).
public enum CaptionTokens {
    public static let pad = 0
    public static let bos = 1
    public static let eos = 2
}

/// Projection, (encoder), embedding, decoder and head on one flat parameter buffer.
public struct CaptionModel: Sendable {
    public let configuration: CaptionModelConfiguration
    public let layout: ParameterLayout
    public var parameters: [Float]
    let projection: Linear
    let encoder: LSTM?
    let embedding: Int
    /// Attention: offsets of `attention.query.weight` and `attention.score.weight`, and the key layer.
    let attentionQuery: Int?
    let attentionKey: Linear?
    let attentionScore: Int?
    let decoder: LSTM
    let head: Linear

    /// A model initialised as PyTorch does (uniform ±1/√fan_in; LSTMs ±1/√H; embeddings N(0, 1)
    /// as `torch.nn.Embedding`, here uniform ±√3 with the same variance), from `seed`.
    public init(configuration: CaptionModelConfiguration, seed: UInt64) {
        let c = configuration
        var layout = ParameterLayout()
        projection = Linear(
            inputSize: c.encodedInputSize, outputSize: c.projectionSize, layout: &layout, prefix: "proj.")
        encoder =
            c.architecture != .meanPool
            ? LSTM(
                configuration: LSTMConfiguration(inputSize: c.projectionSize, hiddenSize: c.hiddenSize),
                layout: &layout, prefix: "encoder.")
            : nil
        embedding = layout.append("embed.weight", shape: [c.vocabularySize, c.embeddingSize])
        if let a = c.attentionSize {
            attentionQuery = layout.append("attention.query.weight", shape: [a, c.hiddenSize])
            attentionKey = Linear(inputSize: c.hiddenSize, outputSize: a, layout: &layout, prefix: "attention.key.")
            attentionScore = layout.append("attention.score.weight", shape: [1, a])
        } else {
            (attentionQuery, attentionKey, attentionScore) = (nil, nil, nil)
        }
        decoder = LSTM(
            configuration: LSTMConfiguration(inputSize: c.decoderInputSize, hiddenSize: c.hiddenSize),
            layout: &layout, prefix: "decoder.")
        head = Linear(inputSize: c.hiddenSize, outputSize: c.vocabularySize, layout: &layout, prefix: "head.")
        self.configuration = c
        self.layout = layout
        var rng = SeededRNG(seed: seed)
        var parameters = [Float](repeating: 0, count: layout.count)
        for entry in layout.entries {
            let bound: Float
            if entry.name == "embed.weight" {
                bound = Float(3).squareRoot()
            } else if entry.name.hasPrefix("encoder.") || entry.name.hasPrefix("decoder.") {
                bound = 1 / Float(c.hiddenSize).squareRoot()
            } else if entry.name == "attention.query.weight" || entry.name == "attention.score.weight" {
                bound = 1 / Float(entry.shape[1]).squareRoot()
            } else {
                let weight = layout.entry(entry.name.replacingOccurrences(of: "bias", with: "weight"))
                bound = 1 / Float(weight?.shape.last ?? 1).squareRoot()
            }
            for i in entry.range { parameters[i] = rng.uniform(-bound, bound) }
        }
        self.parameters = parameters
    }

    /// A video's features `[T, D]` encoded as the projection reads them (`SequenceInputs`).
    func encodedFrames(_ features: Tensor) -> Tensor {
        guard configuration.inputs != .features else { return features }
        let (frames, width) = (features.shape[0], features.shape[1])
        return configuration.inputs.encode(features.reshaped([frames, 1, width]), lengths: [frames])
            .reshaped([frames, configuration.encodedInputSize])
    }

    /// The embedding row of `word`.
    func embed(_ word: Int) -> ArraySlice<Float> {
        let e = configuration.embeddingSize
        return parameters[(embedding + word * e)..<(embedding + (word + 1) * e)]
    }
}
