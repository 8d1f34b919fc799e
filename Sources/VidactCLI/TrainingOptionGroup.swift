// The hyperparameters of `vidact train`: the model's shape (`SequenceModelShape`) and the
// trainer's settings (`TrainerConfiguration`), with their rules in `validate()`. Kept apart from
// the command so the pipeline's train step can document the same names.
import ArgumentParser
import Pipeline
import SequenceModels
import Training

struct TrainingOptionGroup: ParsableArguments {
    @Option(help: "Passes over the training videos.") var epochs: Int = 30
    @Option(help: "Videos per optimizer step.") var batch: Int = 32
    @Option(help: "Base learning rate.") var lr: Float = 1e-3
    @Option(name: .customLong("weight-decay"), help: "Weight decay (decoupled for adamw).") var weightDecay: Float =
        1e-2
    @Option(help: "Optimizer: adam or adamw.") var optimizer: OptimizerKind = .adamw
    @Option(help: "Learning-rate schedule after warm-up: constant, cosine or step.") var schedule: ScheduleName =
        .cosine
    @Option(name: .customLong("min-lr-fraction"), help: "cosine: final rate as a fraction of --lr.")
    var minLRFraction: Float = 0.05
    @Option(name: .customLong("step-every"), help: "step: optimizer steps between decays.") var stepEvery: Int = 100
    @Option(help: "step: factor of each decay.") var gamma: Float = 0.1
    @Option(help: "Epochs of linear warm-up.") var warmup: Int = 0
    @Option(name: .customLong("clip-norm"), help: "Maximum global gradient norm (0: no clipping).")
    var clipNorm: Float = 5
    @Option(help: "Stop after this many epochs without a better validation metric.") var patience: Int?
    @Option(help: "Seed of the initial weights, shuffling and dropout.") var seed: UInt64 = 1
    @Option(help: "LSTM hidden size.") var hidden: Int = 256
    @Option(help: "LSTM layers.") var layers: Int = 1
    @Flag(help: "Bidirectional LSTM.") var bidirectional = false
    @Option(help: "Dropout between LSTM layers.") var dropout: Float = 0
    @Option(name: .customLong("input-dropout"), help: "Dropout on the input features.") var inputDropout: Float = 0
    @Option(
        help: "What the LSTM reads at each step: the features, their differences from the previous frame, or both."
    )
    var inputs: SequenceInputs = .features
    @Option(help: "Width of a linear projection of the features before the LSTM (default: none).")
    var projection: Int?
    @Option(help: "clip task: pooling of the LSTM outputs over time: last, mean or max.")
    var pooling: ClipPooling = .last

    enum ScheduleName: String, ExpressibleByArgument, CaseIterable {
        case constant, cosine, step
    }

    func validate() throws {
        for (name, value) in [("--epochs", epochs), ("--batch", batch), ("--hidden", hidden), ("--layers", layers)]
        where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
        if !(lr > 0) { throw ValidationError("--lr must be positive") }
        if weightDecay < 0 || clipNorm < 0 {
            throw ValidationError("--weight-decay and --clip-norm cannot be negative")
        }
        if warmup < 0 || stepEvery < 1 { throw ValidationError("--warmup must be >= 0 and --step-every >= 1") }
        if let patience, patience < 1 { throw ValidationError("--patience must be at least 1") }
        if let projection, projection < 1 { throw ValidationError("--projection must be at least 1") }
        for (name, value) in [("--dropout", dropout), ("--input-dropout", inputDropout)]
        where !(value >= 0 && value < 1) {
            throw ValidationError("\(name) must be in [0, 1)")
        }
    }

    var shape: SequenceModelShape {
        SequenceModelShape(
            projectionSize: projection, hiddenSize: hidden, layers: layers, bidirectional: bidirectional,
            lstmDropout: dropout, inputDropout: inputDropout, inputs: inputs, seed: seed)
    }

    var trainer: TrainerConfiguration {
        let rateSchedule: LearningRateSchedule
        switch schedule {
        case .constant: rateSchedule = .constant
        case .cosine: rateSchedule = .cosine(minimumFraction: minLRFraction)
        case .step: rateSchedule = .step(every: stepEvery, gamma: gamma)
        }
        return TrainerConfiguration(
            epochs: epochs, batchSize: batch, learningRate: lr, weightDecay: weightDecay, optimizer: optimizer,
            schedule: rateSchedule, warmupEpochs: warmup, clipNorm: clipNorm > 0 ? clipNorm : nil, patience: patience,
            seed: seed)
    }
}

extension OptimizerKind: ExpressibleByArgument {}
extension ClipPooling: ExpressibleByArgument {}
extension SequenceInputs: ExpressibleByArgument {}
