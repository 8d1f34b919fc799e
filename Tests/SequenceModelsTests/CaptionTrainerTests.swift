// `Trainer` on `CaptionModel`: S2VT learns to say events in the order the frames show them, where
// the mean-pool baseline (same sizes, budget and decoding) cannot; a killed and resumed run (with
// label smoothing and scheduled sampling) ends bit-identical to an uninterrupted one; checkpoints
// round-trip; scheduled sampling feeds the previous prediction.
import Foundation
import TensorCore
import Testing

@testable import SequenceModels

struct CaptionTrainerTests {
    /// Videos of 6 frames showing event a in frames 0–2 and event b in 3–5 (one-hot patterns plus
    /// noise); the caption is "a b". Ids 4…7 are the events; every pair appears in both orders.
    static func orderProblem(count: Int, seed: UInt64) -> [CaptionExample] {
        var rng = SeededRNG(seed: seed)
        return (0..<count).map { i in
            let a = 4 + (i / 2) % 4
            var b = 4 + Int(rng.next() % 3)
            if b >= a { b += 1 }
            let (first, second) = i % 2 == 0 ? (a, b) : (b, a)
            let features = Tensor(shape: [6, 8]) { index in
                let (t, j) = (index / 8, index % 8)
                let event = t < 3 ? first : second
                return (j == event - 4 ? 1 : 0) + 0.1 * rng.uniform(-1, 1)
            }
            return CaptionExample(features: features, words: [first, second, CaptionTokens.eos])
        }
    }

    static func model(_ architecture: CaptionArchitecture) -> CaptionModel {
        CaptionModel(
            configuration: CaptionModelConfiguration(
                architecture: architecture, inputSize: 8, projectionSize: 8, hiddenSize: 16, embeddingSize: 8,
                vocabularySize: 8),
            seed: 3)
    }

    static func folder(_ name: String) -> String { NSTemporaryDirectory() + "vidact-\(name)-\(UUID().uuidString)" }

    @Test func s2vtLearnsOrderWhereMeanPoolCannot() throws {
        let train = Self.orderProblem(count: 96, seed: 1)
        let test = Self.orderProblem(count: 32, seed: 2)
        var exact: [CaptionArchitecture: Double] = [:]
        for architecture in CaptionArchitecture.allCases {
            let folder = Self.folder("caption-\(architecture.rawValue)")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let trainer = try Trainer(
                model: Self.model(architecture),
                configuration: TrainerConfiguration(epochs: 25, batchSize: 16, learningRate: 0.03, seed: 4),
                train: train, validation: test, outputFolder: folder)
            try trainer.run()
            let right = try test.filter { example in
                let caption = try trainer.model.caption(
                    features: example.features, decoding: CaptionDecoding(maxLength: 4))
                return caption.words + [CaptionTokens.eos] == example.words
            }
            exact[architecture] = Double(right.count) / Double(test.count)
        }
        print("caption order problem: exact match \(exact)")
        #expect(exact[.s2vt] ?? 0 >= 0.95, "\(exact)")
        #expect(exact[.meanPool] ?? 1 <= 0.6, "\(exact)")
        #expect(exact[.attention] ?? 0 >= 0.9, "\(exact)")
    }

    @Test func resumedRunEndsBitIdentical() throws {
        let train = Self.orderProblem(count: 24, seed: 5)
        let validation = Self.orderProblem(count: 8, seed: 6)
        let configuration = TrainerConfiguration(
            epochs: 4, batchSize: 5, learningRate: 0.01, weightDecay: 0.01, schedule: .cosine(minimumFraction: 0.1),
            seed: 7)
        let (a, b) = (Self.folder("whole"), Self.folder("resumed"))
        defer {
            try? FileManager.default.removeItem(atPath: a)
            try? FileManager.default.removeItem(atPath: b)
        }
        var smoothed = Self.model(.s2vt)
        smoothed = CaptionModel(
            configuration: {
                var c = smoothed.configuration
                c.labelSmoothing = 0.1
                c.scheduledSampling = 0.5
                return c
            }(), seed: 3)
        let whole = try Trainer(
            model: smoothed, configuration: configuration, train: train, validation: validation, outputFolder: a)
        try whole.run()
        try Trainer(
            model: smoothed, configuration: configuration, train: train, validation: validation, outputFolder: b
        )
        .run(stopAfterEpoch: 2)
        let resumed = try Trainer(
            model: smoothed, configuration: configuration, train: train, validation: validation, outputFolder: b)
        try resumed.run()
        #expect(resumed.model.parameters == whole.model.parameters)
        let loaded = try CaptionModel(checkpoint: b + "/checkpoint-last.safetensors")
        #expect(loaded.parameters == whole.model.parameters && loaded.configuration == smoothed.configuration)
        #expect(throws: SequenceModelError.self) { try SequenceClassifier(checkpoint: b + "/best.safetensors") }
    }

    /// Scheduled sampling feeds, with probability p, the teacher-forced pass's arg-max word of the
    /// previous step in place of the reference; p = 0 and p = 1 are the two ends; the draws are
    /// reproducible.
    @Test func scheduledSamplingFeedsThePreviousPrediction() throws {
        let examples = Self.orderProblem(count: 6, seed: 9)
        for architecture in CaptionArchitecture.allCases {
            let model = Self.model(architecture)
            let batch = CaptionBatch(examples, model: model)
            let predicted = CaptionModel.argmaxPerExample(try model.forward(batch).logits, batch: batch)
            var rng = SeededRNG(seed: 1)
            let all = batch.feeding(predicted, probability: 1, rng: &rng)
            let none = batch.feeding(predicted, probability: 0, rng: &rng)
            for n in examples.indices {
                let words = examples[n].words
                #expect(predicted[n].count == words.count)
                for k in 1..<words.count {
                    let t = batch.decodeStart[n] + k
                    #expect(all.inputWord(n, t) == predicted[n][k - 1] && none.inputWord(n, t) == words[k - 1])
                }
                #expect(all.inputWord(n, batch.decodeStart[n]) == CaptionTokens.bos)
            }
            var (a, b) = (SeededRNG(seed: 2), SeededRNG(seed: 2))
            let half = batch.feeding(predicted, probability: 0.5, rng: &a)
            #expect(half.fedWords == batch.feeding(predicted, probability: 0.5, rng: &b).fedWords)
        }
    }

    /// Label smoothing's gradient against finite differences of its loss.
    @Test func labelSmoothingGradient() {
        let logits = Tensor(shape: [2, 4], storage: [0.3, -1, 2, 0.5, 1, 1, -0.5, 0])
        let labels = [2, 0]
        let (_, gradient) = CaptionModel.smoothedLoss(logits, labels, smoothing: 0.2)
        for i in 0..<logits.count {
            var plus = logits.storage
            var minus = logits.storage
            plus[i] += 1e-2
            minus[i] -= 1e-2
            let up = CaptionModel.smoothedLoss(Tensor(shape: [2, 4], storage: plus), labels, smoothing: 0.2).0
            let down = CaptionModel.smoothedLoss(Tensor(shape: [2, 4], storage: minus), labels, smoothing: 0.2).0
            #expect(abs((up - down) / 2e-2 - gradient.storage[i]) < 2e-3, "\(i)")
        }
    }
}
