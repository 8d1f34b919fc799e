// Mini-batch training of a `TrainableModel` (`SequenceClassifier`, `CaptionModel`) with Adam/AdamW, a learning-rate schedule, gradient
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
// weights, bit for bit, as an uninterrupted run. Validation metric: the model's accuracy (clips,
// frames, or teacher-forced words) on the validation examples, or on the training examples when
// there are none.
// Batches group similar lengths: the shuffled examples are cut into pools of 8 batches, each pool
// is sorted by length and cut into batches, and the batch order is shuffled.

import Foundation
import TensorCore

/// Trains a model into an output folder; resumable.
public final class Trainer<Model: TrainableModel> {
    public internal(set) var model: Model
    public let configuration: TrainerConfiguration
    public let train: [Model.Example]
    public let validation: [Model.Example]
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
        model: Model, configuration: TrainerConfiguration, train: [Model.Example],
        validation: [Model.Example], outputFolder: String, metadata: [String: String] = [:]
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
        // One gradient buffer for the epoch, zeroed before each step: a fresh one per step (44 MB
        // for the benchmark's caption model) is faulted in page by page every time.
        var gradients = [Float](repeating: 0, count: model.parameters.count)
        for indices in makeBatches() {
            gradients.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            let result = try model.trainingStep(
                indices.map { train[$0] }, rng: &rng, classWeights: configuration.classWeights, gradients: &gradients)
            if let clip = configuration.clipNorm { GradientClipping.clipGlobalNorm(&gradients, maxNorm: clip) }
            rate = configuration.schedule.rate(
                base: configuration.learningRate, step: optimizer.step, totalSteps: totalSteps, warmupSteps: warmup)
            optimizer.update(parameters: &model.parameters, gradients: gradients, learningRate: rate)
            lossSum += Double(result.loss) * Double(result.weight)
            weightSum += Double(result.weight)
            correct += result.correct
            counted += result.counted
        }
        return TrainingLogRow(
            epoch: state.epoch + 1, trainLoss: weightSum > 0 ? Float(lossSum / weightSum) : 0,
            trainAccuracy: counted > 0 ? Float(correct) / Float(counted) : 0, validationLoss: 0,
            validationAccuracy: 0, learningRate: rate, seconds: 0)
    }

    /// Mean loss and accuracy (clips, frames or words) without dropout.
    public func evaluate(_ examples: [Model.Example]) throws -> (loss: Float, accuracy: Float) {
        var (lossSum, weightSum, correct, counted): (Double, Double, Int, Int) = (0, 0, 0, 0)
        let order = examples.indices.sorted { Model.length(of: examples[$0]) < Model.length(of: examples[$1]) }
        for start in stride(from: 0, to: order.count, by: configuration.batchSize) {
            let result = try model.evaluationStep(
                order[start..<min(start + configuration.batchSize, order.count)].map { examples[$0] },
                classWeights: configuration.classWeights)
            lossSum += Double(result.loss) * Double(result.weight)
            weightSum += Double(result.weight)
            correct += result.correct
            counted += result.counted
        }
        return (weightSum > 0 ? Float(lossSum / weightSum) : 0, counted > 0 ? Float(correct) / Float(counted) : 0)
    }

    /// Shuffled batches of similar lengths (see the file header).
    func makeBatches() -> [[Int]] {
        var order = Array(train.indices)
        Self.shuffle(&order, &rng)
        let size = configuration.batchSize
        var batches: [[Int]] = []
        for poolStart in stride(from: 0, to: order.count, by: size * 8) {
            let pool = order[poolStart..<min(poolStart + size * 8, order.count)].sorted {
                (Model.length(of: train[$0]), $0) < (Model.length(of: train[$1]), $1)
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
        try model.validate(train, name: "training")
        try model.validate(validation, name: "validation")
        if train.isEmpty { throw SequenceModelError(.invalidData, "no training examples") }
    }
}
