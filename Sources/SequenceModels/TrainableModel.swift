// What `Trainer` trains: a model on one flat parameter buffer whose batches give a loss, its
// gradients and a count of right predictions (clips, frames or words), and that writes and reads
// its own checkpoints. `SequenceClassifier` and `CaptionModel` conform.
import SafeTensors
import TensorCore

/// The figures of one batch.
public struct BatchResult: Sendable {
    /// Weighted mean loss of the batch.
    public var loss: Float
    /// Total weight of the counted items (rows, frames or words).
    public var weight: Float
    /// Items predicted right, and items with a label.
    public var correct: Int
    public var counted: Int

    public init(loss: Float, weight: Float, correct: Int, counted: Int) {
        self.loss = loss
        self.weight = weight
        self.correct = correct
        self.counted = counted
    }
}

/// A model `Trainer` can train, checkpoint and resume.
public protocol TrainableModel: Sendable {
    associatedtype Example: Sendable

    var parameters: [Float] { get set }
    /// The configuration as canonical JSON, stored under `model` and compared on resume.
    var configurationJSON: String { get }

    /// A training batch: loss and gradients (accumulated into `gradients`), with dropout and any
    /// other randomness drawn from `rng`.
    func trainingStep(
        _ examples: [Example], rng: inout SeededRNG, classWeights: [Float]?, gradients: inout [Float]
    ) throws -> BatchResult

    /// An evaluation batch: no dropout, no gradients.
    func evaluationStep(_ examples: [Example], classWeights: [Float]?) throws -> BatchResult

    /// Time steps of an example (batches group similar lengths).
    static func length(of example: Example) -> Int

    /// Feeds what identifies an example (lengths, labels) to `mix`, for the data fingerprint that
    /// resuming checks.
    static func fingerprint(_ example: Example, _ mix: (Int) -> Void)

    /// Throws `invalidData` naming the set and example when one does not fit the model.
    func validate(_ examples: [Example], name: String) throws

    /// The parameters and the model's metadata merged with `metadata`.
    func checkpointWriter(metadata: [String: String]) -> SafeTensorsWriter

    /// Loads a checkpoint written by `checkpointWriter` (a trainer's extra entries allowed).
    init(checkpoint path: String) throws
}

extension TrainableModel {
    /// Writes a model checkpoint atomically.
    public func write(to path: String, metadata: [String: String] = [:]) throws {
        try checkpointWriter(metadata: metadata).write(to: path)
    }
}
