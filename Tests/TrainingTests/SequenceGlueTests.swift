// The training / evaluation glue in process (what `vidact train|predict|evaluate` and the
// pipeline's steps call), on the tiny cached-feature workdir of `SequenceFixture`, whose two clip
// classes hold the same values in opposite orders: a trained model must tell them apart on the
// held-out clips, its checkpoint must carry the labels and the extractor key, prediction must
// agree with evaluation, and features of another extractor must be refused.
import Datasets
import FeatureStore
import Foundation
import SequenceFixtures
import SequenceModels
import TensorCore
import Testing

@testable import Training

struct SequenceGlueTests {
    static func train(_ fixture: SequenceFixture, task: SequenceTask, out: String) throws -> TrainingResult {
        try SequenceTraining.run(
            TrainingRequest(
                manifest: fixture.manifest, workdir: fixture.workdir, extractorKey: nil,
                segments: task == .frames ? fixture.segments : nil, task: task,
                shape: SequenceModelShape(hiddenSize: 8, seed: 1),
                training: TrainerConfiguration(epochs: 40, batchSize: 4, learningRate: 0.03, schedule: .constant),
                outputFolder: out))
    }

    @Test func clipModelLearnsOrderEvaluatesAndPredictsConsistently() throws {
        let fixture = try SequenceFixture()
        defer { fixture.remove() }
        let out = fixture.dir + "/model"
        var epochs = 0
        let result = try SequenceTraining.run(
            TrainingRequest(
                manifest: fixture.manifest, workdir: fixture.workdir, extractorKey: nil, segments: nil,
                task: .clip(.last), shape: SequenceModelShape(hiddenSize: 8, seed: 1),
                training: TrainerConfiguration(epochs: 40, batchSize: 4, learningRate: 0.03, schedule: .constant),
                outputFolder: out),
            onEpoch: { _ in epochs += 1 })
        #expect(epochs == 40 && result.log.count == 40)
        #expect(result.labelNames == ["down", "up"] && result.trainCount == 16 && result.validationCount == 4)
        #expect(result.extractorKey == SequenceFixture.spec.key)
        #expect(FileManager.default.fileExists(atPath: result.bestPath))

        let report = try SequenceEvaluation.run(
            EvaluationRequest(model: result.bestPath, manifest: fixture.manifest, workdir: fixture.workdir, topK: 2))
        guard case .clip(let metrics) = report.scores else {
            Issue.record("a clip model gave frame scores")
            return
        }
        #expect(report.videoCount == 4 && metrics.accuracy == 1, "test accuracy \(metrics.accuracy)")

        let model = try TrainedModel(path: result.bestPath)
        #expect(model.labelNames == ["down", "up"] && model.extractorKey == SequenceFixture.spec.key)
        let dataset = FeatureDataset(workdir: fixture.workdir, key: model.extractorKey)
        for i in 20..<24 {
            let prediction = try model.predict(
                try dataset.volume(ofVideo: fixture.video(i)), source: fixture.video(i), featureFile: nil)
            #expect(model.labelNames[prediction.top(1)[0].index] == fixture.label(i), "video \(i)")
        }
    }

    @Test func framesModelScoresFramesAgainstTheSegments() throws {
        let fixture = try SequenceFixture()
        defer { fixture.remove() }
        let result = try Self.train(fixture, task: .frames, out: fixture.dir + "/frames")
        #expect(result.labelNames == ["high", "low"])
        let report = try SequenceEvaluation.run(
            EvaluationRequest(model: result.bestPath, manifest: fixture.manifest, workdir: fixture.workdir))
        guard case .frames(let metrics) = report.scores else {
            Issue.record("a frames model gave clip scores")
            return
        }
        #expect(metrics.videoCount == 4 && metrics.accuracy >= 0.9, "frame accuracy \(metrics.accuracy)")
    }

    @Test func featuresOfAnotherExtractorAreRefused() throws {
        let fixture = try SequenceFixture()
        defer { fixture.remove() }
        let result = try Self.train(fixture, task: .clip(.last), out: fixture.dir + "/model")
        let model = try TrainedModel(path: result.bestPath)
        var other = SequenceFixture.spec
        other.dtype = .f16
        var rng = SeededRNG(seed: 3)
        let foreign = try fixture.volume(20, frames: 6, rng: &rng, spec: other)
        #expect(throws: (any Error).self) {
            _ = try model.predict(foreign, source: fixture.video(20), featureFile: nil)
        }
    }

    @Test func aMissingVolumeNamesTheExtractCommand() throws {
        let fixture = try SequenceFixture(cached: { $0 != 3 })
        defer { fixture.remove() }
        let dataset = FeatureDataset(workdir: fixture.workdir, key: SequenceFixture.spec.key)
        do {
            _ = try dataset.volume(ofVideo: fixture.video(3))
            Issue.record("an uncached video gave a volume")
        } catch let error as DatasetError {
            #expect(error.description.contains("vidact features extract"), "\(error)")
        }
    }
}

/// Models that read motion descriptors (`SequenceInputs.motion`, `features+motion`).
struct MotionInputsTests {
    static func train(_ fixture: SequenceFixture, inputs: SequenceInputs) throws -> TrainingResult {
        try SequenceTraining.run(
            TrainingRequest(
                manifest: fixture.manifest, workdir: fixture.workdir, extractorKey: nil, segments: nil,
                task: .clip(.mean), shape: SequenceModelShape(hiddenSize: 8, inputs: inputs, seed: 1),
                training: TrainerConfiguration(epochs: 30, batchSize: 4, learningRate: 0.03, schedule: .constant),
                outputFolder: fixture.dir + "/" + inputs.rawValue))
    }

    @Test func motionIsReadNormalisedStoredAndApplied() throws {
        let fixture = try SequenceFixture(motion: true)
        defer { fixture.remove() }
        let result = try Self.train(fixture, inputs: .featuresAndMotion)
        let model = try TrainedModel(path: result.bestPath)
        let configuration = model.classifier.configuration
        #expect(configuration.motionWidth == 2 && configuration.inputSize == 6)
        #expect(configuration.inputMean?.count == 6 && configuration.inputScale?.count == 6)
        // The motion value is ±0.5 ± 0.1 over both classes: mean ≈ 0, std ≈ 0.5.
        if let mean = configuration.inputMean, let scale = configuration.inputScale {
            #expect(abs(mean[4]) < 0.1 && abs(1 / scale[4] - 0.5) < 0.05, "mean \(mean[4]), std \(1 / scale[4])")
            #expect(scale[5] == 1, "a constant dimension keeps scale 1")
        }
        let motionOnly = try Self.train(fixture, inputs: .motion)
        let report = try SequenceEvaluation.run(
            EvaluationRequest(model: motionOnly.bestPath, manifest: fixture.manifest, workdir: fixture.workdir))
        guard case .clip(let metrics) = report.scores else {
            Issue.record("a clip model gave frame scores")
            return
        }
        #expect(metrics.accuracy == 1, "motion alone separates the classes: \(metrics.accuracy)")
        let dataset = FeatureDataset(workdir: fixture.workdir, key: SequenceFixture.motionSpec.key)
        let prediction = try model.predict(
            try dataset.volume(ofVideo: fixture.video(21)), source: fixture.video(21), featureFile: nil)
        #expect(model.labelNames[prediction.top(1)[0].index] == fixture.label(21))
    }

    @Test func motionInputsOnVolumesWithoutMotionSayWhatToDo() throws {
        let fixture = try SequenceFixture()
        defer { fixture.remove() }
        do {
            _ = try Self.train(fixture, inputs: .differencesAndMotion)
            Issue.record("trained on motion that the volumes do not have")
        } catch let error as DatasetError {
            #expect(error.description.contains("no motion descriptors"), "\(error)")
            #expect(error.description.contains("--motion"), "\(error)")
        }
    }
}
