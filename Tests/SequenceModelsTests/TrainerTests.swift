// The model and trainer: learning a class that depends on frame order only (the LSTM learns it, an
// order-blind mean-of-features classifier cannot), resuming a run stopped after k epochs ending
// bit-identical to an uninterrupted run, checkpoints that load strictly and predict the same, and
// the classifier's gradients (every task and pooling, with projection) against finite differences.
import Foundation
import SafeTensors
import TensorCore
import Testing

@testable import SequenceModels

struct TrainerTests {
    /// Pairs of examples with the same frames: class 0 has feature 0 rising over time, class 1 the
    /// same frames in reverse order.
    static func orderProblem(pairs: Int, steps: Int, width: Int, seed: UInt64) -> [SequenceExample] {
        var rng = SeededRNG(seed: seed)
        var examples: [SequenceExample] = []
        for _ in 0..<pairs {
            var frames = (0..<steps).map { _ in (0..<width).map { _ in rng.uniform(-1, 1) } }
            frames.sort { $0[0] < $1[0] }
            examples.append(
                SequenceExample(features: Tensor(shape: [steps, width], storage: frames.flatMap { $0 }), clipLabel: 0))
            examples.append(
                SequenceExample(
                    features: Tensor(shape: [steps, width], storage: frames.reversed().flatMap { $0 }), clipLabel: 1))
        }
        return examples
    }

    static func temporaryFolder(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "vidact-\(name)-\(UUID().uuidString)"
        return path
    }

    @Test func lstmLearnsFrameOrderWhereMeanPoolingCannot() throws {
        let train = Self.orderProblem(pairs: 64, steps: 6, width: 4, seed: 1)
        let validation = Self.orderProblem(pairs: 32, steps: 6, width: 4, seed: 2)
        let config = SequenceClassifierConfiguration(
            inputSize: 4, hiddenSize: 16, classCount: 2, task: .clip(.last))
        let folder = Self.temporaryFolder("order")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let trainer = try Trainer(
            model: SequenceClassifier(configuration: config, seed: 3),
            configuration: TrainerConfiguration(epochs: 20, batchSize: 16, learningRate: 0.01, seed: 4),
            train: train, validation: validation, outputFolder: folder)
        try trainer.run()
        let (_, accuracy) = try trainer.evaluate(validation)
        print("order problem: LSTM validation accuracy \(accuracy), log \(trainer.log.map(\.validationAccuracy))")
        #expect(accuracy >= 0.98, "LSTM accuracy \(accuracy)")

        // Order-blind baseline: a linear classifier on the mean of the frames, trained the same way.
        var layout = ParameterLayout()
        let linear = Linear(inputSize: 4, outputSize: 2, layout: &layout, prefix: "")
        var parameters = [Float](repeating: 0.1, count: layout.count)
        var adam = AdamOptimizer(kind: .adam, parameterCount: layout.count)
        let means = { (set: [SequenceExample]) in
            Tensor(shape: [set.count, 4]) { i in
                let f = set[i / 4].features
                return (0..<f.shape[0]).map { f[$0, i % 4] }.reduce(0, +) / Float(f.shape[0])
            }
        }
        for _ in 0..<200 {
            var gradients = [Float](repeating: 0, count: layout.count)
            let logits = try linear.forward(parameters: parameters, input: means(train))
            let (_, dLogits, _) = SoftmaxCrossEntropy.lossAndGradient(
                logits: logits, labels: train.map { $0.clipLabel! })
            _ = try linear.backward(
                parameters: parameters, gradients: &gradients, input: means(train), outputGradient: dLogits)
            adam.update(parameters: &parameters, gradients: gradients, learningRate: 0.05)
        }
        let logits = try linear.forward(parameters: parameters, input: means(validation))
        let (right, all) = SoftmaxCrossEntropy.accuracyCounts(logits: logits, labels: validation.map { $0.clipLabel! })
        let baseline = Float(right) / Float(all)
        print("order problem: mean-of-frames baseline accuracy \(baseline)")
        #expect(abs(baseline - 0.5) <= 0.05, "mean pooling must stay near chance: \(baseline)")
    }

    static func smallRun(folder: String, epochs: Int) throws -> Trainer<SequenceClassifier> {
        let examples = Self.orderProblem(pairs: 12, steps: 5, width: 3, seed: 9).enumerated().map { i, e in
            // Vary the lengths so that batches mix them.
            SequenceExample(
                features: Tensor(shape: [3 + i % 3, 3], storage: Array(e.features.storage.prefix((3 + i % 3) * 3))),
                clipLabel: e.clipLabel)
        }
        let (train, validation) = SequenceExample.split(examples, validationFraction: 0.25, seed: 5)
        let config = SequenceClassifierConfiguration(
            inputSize: 3, projectionSize: 4, hiddenSize: 5, layers: 2, bidirectional: true, lstmDropout: 0.3,
            inputDropout: 0.2, classCount: 2, task: .clip(.mean))
        return try Trainer(
            model: SequenceClassifier(configuration: config, seed: 6),
            configuration: TrainerConfiguration(
                epochs: epochs, batchSize: 4, learningRate: 0.01, weightDecay: 0.01,
                schedule: .cosine(minimumFraction: 0.1),
                warmupEpochs: 1, clipNorm: 1, seed: 7),
            train: train, validation: validation, outputFolder: folder, metadata: ["labels": "[\"up\",\"down\"]"])
    }

    @Test func resumedRunEndsBitIdenticalToAnUninterruptedOne() throws {
        let (a, b) = (Self.temporaryFolder("whole"), Self.temporaryFolder("resumed"))
        defer {
            try? FileManager.default.removeItem(atPath: a)
            try? FileManager.default.removeItem(atPath: b)
        }
        let whole = try Self.smallRun(folder: a, epochs: 5)
        #expect(try whole.run() == 5)
        do {
            let first = try Self.smallRun(folder: b, epochs: 5)
            #expect(try first.run(stopAfterEpoch: 2) == 2)
        }  // the trainer is dropped, as if the process had been killed after epoch 2
        let resumed = try Self.smallRun(folder: b, epochs: 5)
        #expect(try resumed.run() == 5)
        let same = whole.model.parameters.map(\.bitPattern) == resumed.model.parameters.map(\.bitPattern)
        let maxDiff = zip(whole.model.parameters, resumed.model.parameters).map { abs($0 - $1) }.max() ?? 0
        #expect(same, "resumed weights differ: max |diff| \(maxDiff)")
        #expect(whole.optimizer == resumed.optimizer, "optimizer state differs")
        #expect(resumed.log.count == 5 && resumed.log.map(\.trainLoss) == whole.log.map(\.trainLoss))
        let csv = try String(contentsOfFile: b + "/train_log.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 6 && csv[0] == Substring(TrainingLogRow.csvHeader))
        let best = try SafeTensorsFile(path: b + "/best.safetensors")
        #expect(best.metadata["labels"] == "[\"up\",\"down\"]" && best.metadata["validation_accuracy"] != nil)
        #expect(!best.names.contains("optimizer.m"))
    }

    @Test func incompatibleCheckpointIsRefused() throws {
        let folder = Self.temporaryFolder("incompatible")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.smallRun(folder: folder, epochs: 1).run()
        let other = try Self.smallRun(folder: folder, epochs: 2)
        #expect(throws: SequenceModelError.self) { try other.run() }
    }

    @Test func checkpointLoadsStrictlyAndPredictsTheSame() throws {
        let folder = Self.temporaryFolder("checkpoint")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = SequenceClassifierConfiguration(
            inputSize: 6, projectionSize: 4, hiddenSize: 3, layers: 2, bidirectional: true, classCount: 3, task: .frames
        )
        let model = SequenceClassifier(configuration: config, seed: 1)
        try model.write(to: folder + "/m.safetensors", metadata: ["feature_extractor": "abc"])
        let loaded = try SequenceClassifier(checkpoint: folder + "/m.safetensors")
        #expect(loaded.parameters == model.parameters && loaded.configuration == config)
        var rng = SeededRNG(seed: 2)
        let features = Tensor.uniform(shape: [7, 6], -1, 1, using: &rng)
        let p = try loaded.predict(features: features)
        let again = try model.predict(features: features)
        #expect(p.shape == [7, 3] && p == again)
        let names = try SafeTensorsFile(path: folder + "/m.safetensors").names
        #expect(
            names.contains("lstm.weight_ih_l1_reverse") && names.contains("proj.weight") && names.contains("head.bias"))
        var writer = model.checkpointWriter()
        writer.add("stray", Tensor(zeros: [1]))
        try writer.write(to: folder + "/stray.safetensors")
        #expect(throws: SafeTensorsError.self) { try SequenceClassifier(checkpoint: folder + "/stray.safetensors") }
    }

    /// f32 central differences (step 1e-2 on values ~0.5, f32 loss) against the analytic
    /// gradient of the whole classifier; tolerance 0.2 % of the largest gradient (the f32 noise of
    /// the difference quotient is ~1e-5; a wrong pooling or head gradient is off by far more).
    @Test(arguments: [SequenceTask.clip(.last), .clip(.mean), .clip(.max), .frames])
    func classifierGradientsMatchFiniteDifferences(task: SequenceTask) throws {
        let config = SequenceClassifierConfiguration(
            inputSize: 3, projectionSize: 4, hiddenSize: 3, layers: 2, bidirectional: true, classCount: 3, task: task)
        var model = SequenceClassifier(configuration: config, seed: 8)
        var rng = SeededRNG(seed: 9)
        let examples = [5, 2, 4].enumerated().map { i, length in
            SequenceExample(
                features: .uniform(shape: [length, 3], -1, 1, using: &rng), clipLabel: i,
                frameLabels: (0..<length).map { ($0 + i) % 4 - 1 })
        }
        let batch = SequenceBatch(examples)
        var gradients = [Float](repeating: 0, count: model.parameters.count)
        var none: SeededRNG? = nil
        _ = try model.lossAndGradients(batch, rng: &none, classWeights: [1, 2, 0.5], gradients: &gradients)
        let largest = gradients.map(abs).max()!
        var worst: Float = 0
        for index in stride(from: 0, to: model.parameters.count, by: 7) {
            let saved = model.parameters[index]
            var losses: [Float] = []
            for delta: Float in [1e-2, -1e-2] {
                model.parameters[index] = saved + delta
                var scratch = [Float](repeating: 0, count: gradients.count)
                losses.append(
                    try model.lossAndGradients(batch, rng: &none, classWeights: [1, 2, 0.5], gradients: &scratch).loss)
            }
            model.parameters[index] = saved
            worst = max(worst, abs((losses[0] - losses[1]) / 2e-2 - gradients[index]))
        }
        print("classifier \(task) finite differences: max |diff| \(worst), max |grad| \(largest)")
        #expect(worst <= 2e-3 * largest, "max |diff| \(worst) vs max |grad| \(largest)")
    }

    @Test(arguments: [SequenceTask.clip(.max), .frames])
    func batchedPredictionEqualsOneByOne(task: SequenceTask) throws {
        let config = SequenceClassifierConfiguration(
            inputSize: 4, hiddenSize: 3, layers: 1, bidirectional: true, classCount: 3, task: task)
        let model = SequenceClassifier(configuration: config, seed: 3)
        var rng = SeededRNG(seed: 4)
        let examples = [4, 1, 6].map { SequenceExample(features: .uniform(shape: [$0, 4], -1, 1, using: &rng)) }
        let batched = try model.predict(batch: examples)
        for (example, fromBatch) in zip(examples, batched) {
            expectRelative(fromBatch, try model.predict(features: example.features), 1e-6, "batched vs single \(task)")
        }
    }
}
