// Settings of a training run, and one row of its log. The whole configuration is stored (as JSON)
// in every checkpoint, and a run resumes only from a checkpoint with the same configuration.

import Foundation

/// Hyperparameters of `Trainer`.
public struct TrainerConfiguration: Codable, Equatable, Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    public var weightDecay: Float
    public var optimizer: OptimizerKind
    public var schedule: LearningRateSchedule
    /// Epochs of linear warm-up (in optimizer steps: this times the steps per epoch).
    public var warmupEpochs: Int
    /// Maximum global gradient norm; nil for no clipping.
    public var clipNorm: Float?
    /// Stop after this many epochs without a better validation metric; nil to run all epochs.
    public var patience: Int?
    /// Seeds shuffling and dropout (the model's initialisation has its own seed).
    public var seed: UInt64
    /// Weight of each class in the loss; nil for 1 each.
    public var classWeights: [Float]?

    public init(
        epochs: Int, batchSize: Int = 32, learningRate: Float = 1e-3, weightDecay: Float = 0,
        optimizer: OptimizerKind = .adamw, schedule: LearningRateSchedule = .constant, warmupEpochs: Int = 0,
        clipNorm: Float? = 5, patience: Int? = nil, seed: UInt64 = 0, classWeights: [Float]? = nil
    ) {
        precondition(epochs > 0 && batchSize > 0 && learningRate > 0, "TrainerConfiguration")
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.optimizer = optimizer
        self.schedule = schedule
        self.warmupEpochs = warmupEpochs
        self.clipNorm = clipNorm
        self.patience = patience
        self.seed = seed
        self.classWeights = classWeights
    }
}

/// One epoch of `train_log.csv`.
public struct TrainingLogRow: Equatable, Sendable {
    public static let csvHeader =
        "epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,seconds"

    public var epoch: Int
    public var trainLoss: Float
    /// Accuracy (clip) or frame accuracy (frames) on the training batches, with dropout.
    public var trainAccuracy: Float
    public var validationLoss: Float
    public var validationAccuracy: Float
    /// The rate of the epoch's last step.
    public var learningRate: Float
    public var seconds: Double

    public var csvLine: String {
        "\(epoch),\(trainLoss),\(trainAccuracy),\(validationLoss),\(validationAccuracy),\(learningRate),"
            + String(format: "%.3f", seconds)
    }
}
