// The step inputs of the sequence model: the differences of a padded batch are x_t − x_{t−1} per
// sequence (zero at each sequence's first step and at padding); a model that reads differences
// predicts exactly what a plain-features model with the same weights predicts on differences
// computed outside it; the choice survives a checkpoint, and old checkpoints read as `features`.
import Foundation
import TensorCore
import Testing

@testable import SequenceModels

struct SequenceInputsTests {
    @Test func differencesOfAPaddedBatchStartAtZeroAndStopAtEachLength() {
        // Two sequences, widths 2: lengths 3 and 2, so step 2 of the second is padding.
        let a: [[Float]] = [[1, 10], [4, 20], [9, 25]]
        let b: [[Float]] = [[-1, 0], [2, -3]]
        var storage = [Float](repeating: 0, count: 3 * 2 * 2)
        for (n, seq) in [a, b].enumerated() {
            for (t, row) in seq.enumerated() {
                storage.replaceSubrange(((t * 2 + n) * 2)..<((t * 2 + n) * 2 + 2), with: row)
            }
        }
        let batch = Tensor(shape: [3, 2, 2], storage: storage)
        let differences = SequenceInputs.differences.encode(batch, lengths: [3, 2])
        let expected: [Float] = [0, 0, 0, 0, 3, 10, 3, -3, 5, 5, 0, 0]
        #expect(differences.shape == [3, 2, 2])
        #expect(differences.storage == expected, "\(differences.storage)")
        let both = SequenceInputs.both.encode(batch, lengths: [3, 2])
        #expect(both.shape == [3, 2, 4])
        let bothExpected: [Float] = [1, 10, 0, 0, -1, 0, 0, 0, 4, 20, 3, 10, 2, -3, 3, -3, 9, 25, 5, 5, 0, 0, 0, 0]
        #expect(both.storage == bothExpected, "\(both.storage)")
        #expect(SequenceInputs.features.encode(batch, lengths: [3, 2]).storage == storage)
    }

    @Test(arguments: [SequenceTask.clip(.last), .clip(.mean), .frames])
    func aDifferencesModelEqualsAFeaturesModelOnOutsideDifferences(task: SequenceTask) throws {
        var rng = SeededRNG(seed: 9)
        let (steps, width) = (7, 5)
        let features = Tensor(shape: [steps, width]) { _ in rng.uniform(-2, 2) }
        var outside = [Float](repeating: 0, count: steps * width)
        for t in 1..<steps {
            for j in 0..<width { outside[t * width + j] = features[t, j] - features[t - 1, j] }
        }
        for (inputs, projection) in [(SequenceInputs.differences, 3), (.differences, nil), (.both, 4)] {
            let inner = SequenceClassifier(
                configuration: SequenceClassifierConfiguration(
                    inputSize: width, projectionSize: projection, hiddenSize: 6, classCount: 3, task: task,
                    inputs: inputs),
                seed: 11)
            let plainWidth = inputs.width(featureWidth: width)
            var plain = SequenceClassifier(
                configuration: SequenceClassifierConfiguration(
                    inputSize: plainWidth, projectionSize: projection, hiddenSize: 6, classCount: 3, task: task),
                seed: 11)
            #expect(plain.layout.count == inner.layout.count)
            plain.parameters = inner.parameters
            let given =
                inputs == .both
                ? Tensor(shape: [steps, 2 * width]) { i in
                    let (t, j) = (i / (2 * width), i % (2 * width))
                    return j < width ? features[t, j] : outside[t * width + j - width]
                } : Tensor(shape: [steps, width], storage: outside)
            let got = try inner.predict(features: features)
            let want = try plain.predict(features: given)
            let diff = zip(got.storage, want.storage).map { abs($0 - $1) }.max() ?? 0
            print("\(inputs) projection \(projection ?? 0) \(task): max |diff| \(diff)")
            #expect(diff <= 1e-6, "\(inputs): max |diff| \(diff)")
        }
    }

    @Test func theInputsSurviveACheckpointAndOldModelsReadAsFeatures() throws {
        let folder = NSTemporaryDirectory() + "vidact-inputs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let model = SequenceClassifier(
            configuration: SequenceClassifierConfiguration(
                inputSize: 4, hiddenSize: 3, classCount: 2, task: .clip(.last), inputs: .both),
            seed: 1)
        try model.write(to: folder + "/m.safetensors")
        let loaded = try SequenceClassifier(checkpoint: folder + "/m.safetensors")
        #expect(loaded.configuration.inputs == .both && loaded.configuration.encodedInputSize == 8)
        #expect(loaded.parameters == model.parameters)
        // Plain features are stored as before: no stepInputs key in the model JSON.
        let plain = SequenceClassifier(
            configuration: SequenceClassifierConfiguration(inputSize: 4, hiddenSize: 3, classCount: 2, task: .frames),
            seed: 1)
        #expect(!plain.configurationJSON.contains("stepInputs") && model.configurationJSON.contains("\"both\""))
        let old = try JSONDecoder().decode(
            SequenceClassifierConfiguration.self, from: Data(plain.configurationJSON.utf8))
        #expect(old.inputs == .features)
    }
}
