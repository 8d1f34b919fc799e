// Mini-batch training of a `SequenceClassifier` with Adam/AdamW, a learning-rate schedule, gradient
// clipping, validation after every epoch, early stopping and checkpoints. Output folder:
//
//   checkpoint-last.safetensors  after every epoch: the model, Adam moments, step, RNG state,
//                                epoch, best metric and the log so far (`Trainer+Checkpoint.swift`)
//   best.safetensors             the model of the best validation metric so far
//   train_log.csv                `TrainingLogRow.csvHeader`, one line per epoch
//
// all written atomically. A run started on a folder that holds a compatible checkpoint-last
// resumes after its epoch; since every random draw (shuffling, dropout) comes from one `SeededRNG`
// whose state is saved, a run killed at any point (even SIGKILL) and resumed ends with the same
// weights, bit for bit, as an uninterrupted run. Validation metric: accuracy (clip) or frame
// accuracy (frames) on the validation examples, or on the training examples when there are none.
// Batches group similar lengths: the shuffled examples are cut into pools of 8 batches, each pool
// is sorted by length and cut into batches, and the batch order is shuffled.

import Foundation
import TensorCore

/// Trains a model into an output folder; resumable.
public final class Trainer {
    public internal(set) var model: SequenceClassifier
    public let configuration: TrainerConfiguration
    public let train: [SequenceExample]
    public let validation: [SequenceExample]
    public let outputFolder: String
    /// Extra checkpoint metadata from the caller (label names, feature extractor key, …).
    public let metadata: [String: String]

    var optimizer: AdamOptimizer
    var rng: SeededRNG
    var state = TrainerState()

    /// What has happened so far; saved in checkpoint-last.
    struct TrainerState: Equatable {
        var epoch = 0
        var bestMetric: Float = -.infinity
        var bestEpoch = 0
        var epochsWithoutImprovement = 0
        var stoppedEarly = false
        var log: [TrainingLogRow] = []
    }

    public init(
        model: SequenceClassifier, configuration: TrainerConfiguration, train: [SequenceExample],
        validation: [SequenceExample], outputFolder: String, metadata: [String: String] = [:]
    ) throws {
        self.model = model
        self.configuration = configuration
        self.train = train
        self.validation = validation
        self.outputFolder = outputFolder
        self.metadata = metadata
        optimizer = AdamOptimizer(
            kind: configuration.optimizer, parameterCount: model.parameters.count,
            weightDecay: configuration.weightDecay)
        rng = SeededRNG(seed: configuration.seed)
        try validateData()
    }

    public var checkpointPath: String { outputFolder + "/checkpoint-last.safetensors" }
    public var bestPath: String { outputFolder + "/best.safetensors" }
    public var logPath: String { outputFolder + "/train_log.csv" }

    /// The log so far.
    public var log: [TrainingLogRow] { state.log }

    /// Trains until the configured epochs or early stopping — or, for tests and callers that
    /// train in slices, until `stopAfterEpoch` — resuming from checkpoint-last when it is there.
    /// Returns the epoch reached.
    @discardableResult
    public func run(stopAfterEpoch: Int? = nil) throws -> Int {
        try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: checkpointPath) { try resume() }
        let stepsPerEpoch = (train.count + configuration.batchSize - 1) / configuration.batchSize
        while state.epoch < configuration.epochs && !state.stoppedEarly {
            if let stop = stopAfterEpoch, state.epoch >= stop { break }
            let start = Date()
            var row = try trainEpoch(stepsPerEpoch: stepsPerEpoch)
            let (validationLoss, validationAccuracy) = try evaluate(validation.isEmpty ? train : validation)
            row.validationLoss = validationLoss
            row.validationAccuracy = validationAccuracy
            row.seconds = Date().timeIntervalSince(start)
            state.epoch += 1
            state.log.append(row)
            if validationAccuracy > state.bestMetric {
                state.bestMetric = validationAccuracy
                state.bestEpoch = state.epoch
                state.epochsWithoutImprovement = 0
                try model.write(to: bestPath, metadata: checkpointMetadata())
            } else {
                state.epochsWithoutImprovement += 1
                if let patience = configuration.patience, state.epochsWithoutImprovement >= patience {
                    state.stoppedEarly = true
                }
            }
            try writeLog()
            try writeCheckpoint()
        }
        return state.epoch
    }

    /// One pass over the shuffled, length-grouped batches.
    func trainEpoch(stepsPerEpoch: Int) throws -> TrainingLogRow {
        let totalSteps = configuration.epochs * stepsPerEpoch
        let warmup = configuration.warmupEpochs * stepsPerEpoch
        var (lossSum, weightSum, correct, counted): (Double, Double, Int, Int) = (0, 0, 0, 0)
        var rate: Float = 0
        for indices in makeBatches() {
            let batch = SequenceBatch(indices.map { train[$0] })
            var gradients = [Float](repeating: 0, count: model.parameters.count)
            var batchRNG: SeededRNG? = rng
            let (loss, weight, logits) = try model.lossAndGradients(
                batch, rng: &batchRNG, classWeights: configuration.classWeights, gradients: &gradients)
            // lossAndGradients advances a given generator and never clears it.
            rng = batchRNG ?? rng
            if let clip = configuration.clipNorm { GradientClipping.clipGlobalNorm(&gradients, maxNorm: clip) }
            rate = configuration.schedule.rate(
                base: configuration.learningRate, step: optimizer.step, totalSteps: totalSteps, warmupSteps: warmup)
            optimizer.update(parameters: &model.parameters, gradients: gradients, learningRate: rate)
            lossSum += Double(loss) * Double(weight)
            weightSum += Double(weight)
            let (right, all) = Self.accuracyCounts(logits: logits, labels: labels(of: batch))
            correct += right
            counted += all
        }
        return TrainingLogRow(
            epoch: state.epoch + 1, trainLoss: weightSum > 0 ? Float(lossSum / weightSum) : 0,
            trainAccuracy: counted > 0 ? Float(correct) / Float(counted) : 0, validationLoss: 0,
            validationAccuracy: 0, learningRate: rate, seconds: 0)
    }

    /// Mean loss and accuracy (clip) or frame accuracy (frames) without dropout.
    public func evaluate(_ examples: [SequenceExample]) throws -> (loss: Float, accuracy: Float) {
        var (lossSum, weightSum, correct, counted): (Double, Double, Int, Int) = (0, 0, 0, 0)
        let order = examples.indices.sorted { examples[$0].length < examples[$1].length }
        for start in stride(from: 0, to: order.count, by: configuration.batchSize) {
            let batch = SequenceBatch(
                order[start..<min(start + configuration.batchSize, order.count)].map { examples[$0] })
            let logits = try model.logits(batch)
            let labels = labels(of: batch)
            let (loss, _, weight) = SoftmaxCrossEntropy.lossAndGradient(
                logits: logits, labels: labels, classWeights: configuration.classWeights)
            lossSum += Double(loss) * Double(weight)
            weightSum += Double(weight)
            let (right, all) = Self.accuracyCounts(logits: logits, labels: labels)
            correct += right
            counted += all
        }
        return (weightSum > 0 ? Float(lossSum / weightSum) : 0, counted > 0 ? Float(correct) / Float(counted) : 0)
    }

    func labels(of batch: SequenceBatch) -> [Int] {
        model.configuration.task == .frames ? batch.frameLabels : batch.clipLabels
    }

    /// Rows whose arg-max logit equals the label, and rows with a label.
    static func accuracyCounts(logits: Tensor, labels: [Int]) -> (correct: Int, counted: Int) {
        let classes = logits.shape[1]
        var (correct, counted) = (0, 0)
        for (row, label) in labels.enumerated() where label != SoftmaxCrossEntropy.ignoreLabel {
            let scores = logits.storage[(row * classes)..<((row + 1) * classes)]
            guard let top = scores.indices.max(by: { scores[$0] < scores[$1] }) else { continue }
            let best = top - row * classes
            counted += 1
            if best == label { correct += 1 }
        }
        return (correct, counted)
    }

    /// Shuffled batches of similar lengths (see the file header).
    func makeBatches() -> [[Int]] {
        var order = Array(train.indices)
        Self.shuffle(&order, &rng)
        let size = configuration.batchSize
        var batches: [[Int]] = []
        for poolStart in stride(from: 0, to: order.count, by: size * 8) {
            let pool = order[poolStart..<min(poolStart + size * 8, order.count)].sorted {
                (train[$0].length, $0) < (train[$1].length, $1)
            }
            for start in stride(from: 0, to: pool.count, by: size) {
                batches.append(Array(pool[start..<min(start + size, pool.count)]))
            }
        }
        Self.shuffle(&batches, &rng)
        return batches
    }

    /// Fisher–Yates with `rng` (the standard library's shuffle is not specified to be stable
    /// across versions).
    static func shuffle<T>(_ values: inout [T], _ rng: inout SeededRNG) {
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
    }

    private func validateData() throws {
        let config = model.configuration
        for (name, set) in [("training", train), ("validation", validation)] {
            for (i, example) in set.enumerated() {
                guard example.length > 0, example.features.shape[1] == config.inputSize else {
                    throw SequenceModelError(
                        .invalidData,
                        "\(name) example \(i) has features \(example.features.shape), expected [T ≥ 1, \(config.inputSize)]"
                    )
                }
                let labels = config.task == .frames ? (example.frameLabels ?? []) : [example.clipLabel ?? -2]
                guard labels.allSatisfy({ $0 >= -1 && $0 < config.classCount }) && !labels.isEmpty else {
                    throw SequenceModelError(
                        .invalidData, "\(name) example \(i) has labels outside 0..<\(config.classCount) (or none)")
                }
            }
        }
        if train.isEmpty { throw SequenceModelError(.invalidData, "no training examples") }
    }
}
