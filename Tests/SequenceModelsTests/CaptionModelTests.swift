// `CaptionModel` (s2vt and mean-pool) against the same model built from torch.nn.Linear,
// torch.nn.LSTM and torch.nn.Embedding (Fixtures/caption_reference.safetensors, written by
// scripts/fixtures/make-caption-model-fixtures in float64): teacher-forced logits, the mean
// cross-entropy over every target word of a 3-video batch with different frame and caption
// lengths (an empty caption among them), every parameter's gradient, and greedy captions.
import SafeTensors
import TensorCore
import Testing

@testable import SequenceModels

struct CaptionModelTests {
    static func load(_ name: String) throws -> (CaptionModel, [CaptionExample], SafeTensorsFile) {
        let file = try Fixtures.open("caption_reference.safetensors")
        let architecture: CaptionArchitecture = name == "s2vt" ? .s2vt : name == "attention" ? .attention : .meanPool
        var model = CaptionModel(
            configuration: CaptionModelConfiguration(
                architecture: architecture, inputSize: 5, projectionSize: 4, hiddenSize: 3, embeddingSize: 2,
                vocabularySize: 7, attentionSize: 2),
            seed: 1)
        for entry in model.layout.entries {
            let values = try file.array("\(name)/param/\(entry.name)", as: Double.self)
            #expect(try file.info("\(name)/param/\(entry.name)").shape == entry.shape, "\(entry.name)")
            model.parameters.replaceSubrange(entry.range, with: values.map(Float.init))
        }
        let examples = try (0..<3).map { n in
            let info = try file.info("\(name)/features_\(n)")
            let features = try file.array("\(name)/features_\(n)", as: Double.self).map(Float.init)
            let words = try file.array("\(name)/words_\(n)", as: Int64.self).map { Int($0) }
            return CaptionExample(features: Tensor(shape: info.shape, storage: features), words: words)
        }
        return (model, examples, file)
    }

    static func tensor(_ file: SafeTensorsFile, _ name: String) throws -> Tensor {
        Tensor(shape: try file.info(name).shape, storage: try file.array(name, as: Double.self).map(Float.init))
    }

    @Test(arguments: ["s2vt", "mean_pool", "attention"])
    func matchesPyTorch(name: String) throws {
        let (model, examples, file) = try Self.load(name)
        for (n, example) in examples.enumerated() {
            expectRelative(
                try model.teacherForcedLogits(example), try Self.tensor(file, "\(name)/logits_\(n)"), 1e-5,
                "\(name) logits \(n)")
        }
        var gradients = [Float](repeating: 0, count: model.parameters.count)
        let (loss, words) = try model.lossAndGradients(examples, gradients: &gradients)
        #expect(words == 9)
        expectRelative(Tensor(shape: [1], storage: [loss]), try Self.tensor(file, "\(name)/loss"), 1e-5, "\(name) loss")
        for entry in model.layout.entries {
            expectRelative(
                Tensor(shape: entry.shape, storage: Array(gradients[entry.range])),
                try Self.tensor(file, "\(name)/grad/\(entry.name)"), 1e-4, "\(name) grad \(entry.name)")
        }
        for (n, example) in examples.enumerated() {
            let expected = try file.array("\(name)/greedy_\(n)", as: Int64.self).map { Int($0) }
            let caption = try model.caption(
                features: example.features, decoding: CaptionDecoding(beam: 1, maxLength: 6))
            let emitted = caption.words + (caption.finished ? [CaptionTokens.eos] : [])
            #expect(emitted == expected, "\(name) greedy \(n)")
            if name == "attention" {
                // The teacher-forced attention weights, through the batch pass's cache.
                let pass = try model.forward(CaptionBatch([example], model: model))
                let alphas = try #require(pass.attention).steps.prefix(example.words.count).flatMap { $0.alpha[0] }
                let reference = try Self.tensor(file, "attention/alpha_\(n)")
                expectRelative(Tensor(shape: reference.shape, storage: alphas), reference, 1e-5, "attention alpha \(n)")
            }
        }
    }

    /// A batch gives each example the logits it gets alone (padding changes nothing).
    @Test(arguments: ["s2vt", "mean_pool", "attention"])
    func batchingIsInvisible(name: String) throws {
        let (model, examples, _) = try Self.load(name)
        try expectBatchingIsInvisible(model, examples, name)
    }

    /// Beam search is deterministic, never worse than greedy in log-probability at α = 0 when both
    /// finish, and respects the maximum length.
    @Test func beamSearch() throws {
        let (model, examples, _) = try Self.load("s2vt")
        for example in examples {
            let greedy = try model.caption(features: example.features, decoding: CaptionDecoding(beam: 1, maxLength: 8))
            let beam = try model.caption(features: example.features, decoding: CaptionDecoding(beam: 4, maxLength: 8))
            #expect(
                try model.caption(features: example.features, decoding: CaptionDecoding(beam: 4, maxLength: 8)) == beam)
            if greedy.finished && beam.finished { #expect(beam.logProbability >= greedy.logProbability - 1e-9) }
            #expect(beam.words.count <= 8)
        }
    }
}

/// The attention architecture against finite differences of its own loss (the PyTorch fixture
/// covers it too), batching, and its exported weights.
struct CaptionAttentionTests {
    static func model() -> CaptionModel {
        CaptionModel(
            configuration: CaptionModelConfiguration(
                architecture: .attention, inputSize: 5, projectionSize: 4, hiddenSize: 3, embeddingSize: 2,
                vocabularySize: 7, attentionSize: 2),
            seed: 11)
    }

    static func examples() -> [CaptionExample] {
        var rng = SeededRNG(seed: 12)
        return [(4, [5, 5, 2]), (2, [5, 4, 3, 4, 2]), (3, [2])].map { frames, words in
            CaptionExample(features: Tensor.uniform(shape: [frames, 5], -1, 1, using: &rng), words: words)
        }
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        var model = Self.model()
        let examples = Self.examples()
        var gradients = [Float](repeating: 0, count: model.parameters.count)
        _ = try model.lossAndGradients(examples, gradients: &gradients)
        var checked = 0
        for entry in model.layout.entries {
            for i in stride(from: entry.range.lowerBound, to: entry.range.upperBound, by: 3) {
                let saved = model.parameters[i]
                var none = [Float](repeating: 0, count: gradients.count)
                model.parameters[i] = saved + 1e-2
                let up = try model.lossAndGradients(examples, gradients: &none).loss
                model.parameters[i] = saved - 1e-2
                let down = try model.lossAndGradients(examples, gradients: &none).loss
                model.parameters[i] = saved
                let numeric = (up - down) / 2e-2
                #expect(abs(numeric - gradients[i]) < 2e-3 + 2e-2 * abs(numeric), "\(entry.name)[\(i - entry.offset)]")
                checked += 1
            }
        }
        #expect(checked > 50)
    }

    @Test func batchingIsInvisibleAndWeightsAreExported() throws {
        let model = Self.model()
        let examples = Self.examples()
        try expectBatchingIsInvisible(model, examples, "attention")
        for example in examples {
            let caption = try model.caption(
                features: example.features, decoding: CaptionDecoding(beam: 2, maxLength: 5))
            let weights = try #require(caption.attention)
            #expect(weights.count == caption.words.count + (caption.finished ? 1 : 0))
            for alpha in weights {
                #expect(alpha.count == example.features.shape[0])
                #expect(abs(alpha.reduce(0, +) - 1) < 1e-5)
            }
        }
    }
}

/// Beam search's one-pass selection against its naive twin: a stable sort of every candidate.
struct BeamSelectionTests {
    @Test func bestExpansionsEqualTheFirstOfAStableSort() {
        var rng = SeededRNG(seed: 21)
        for trial in 0..<50 {
            let (beams, vocabulary, count) = (1 + trial % 4, 3 + trial % 7, 1 + trial % 5)
            let scores = (0..<beams).map { _ in Double(Int(rng.next() % 4)) * -0.5 }
            // Coarse values, so ties are common.
            let logP = (0..<(beams * vocabulary)).map { _ in Double(Int(rng.next() % 5)) * -0.25 }
            var all: [(hypothesis: Int, word: Int, score: Double)] = []
            for b in 0..<beams { for w in 0..<vocabulary { all.append((b, w, scores[b] + logP[b * vocabulary + w])) } }
            let sorted = all.enumerated().sorted { ($0.element.score, -$0.offset) > ($1.element.score, -$1.offset) }
                .map(\.element).prefix(count)
            let fast = CaptionModel.bestExpansions(scores, logP, vocabulary: vocabulary, count: count)
            #expect(
                fast.map(\.hypothesis) == sorted.map(\.hypothesis) && fast.map(\.word) == sorted.map(\.word), "\(trial)"
            )
        }
    }
}

/// Each example's teacher-forced logits from a batch of `examples` equal those it gets alone.
func expectBatchingIsInvisible(
    _ model: CaptionModel, _ examples: [CaptionExample], _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let together = try model.forward(CaptionBatch(examples, model: model)).logits
    var row = 0
    for example in examples {
        let alone = try model.teacherForcedLogits(example)
        let v = alone.shape[1]
        let slice = Array(together.storage[(row * v)..<((row + alone.shape[0]) * v)])
        expectRelative(
            Tensor(shape: alone.shape, storage: slice), alone, 1e-6, "\(label) batched", sourceLocation: sourceLocation)
        row += alone.shape[0]
    }
}

/// The GNMT length penalty of beam search: α = 0 ranks by log-probability, α > 0 divides by
/// ((5 + length) / 6)^α, so a longer caption loses less for the same log-probability.
struct LengthPenaltyTests {
    @Test func rank() {
        #expect(CaptionDecoding(lengthPenalty: 0).rank(-3, length: 4) == -3)
        // ((5 + 7) / 6)^1 = 2: −3 / 2.
        #expect(abs(CaptionDecoding(lengthPenalty: 1).rank(-3, length: 7) - -1.5) < 1e-12)
        let penalised = CaptionDecoding(lengthPenalty: 0.7)
        #expect(penalised.rank(-3, length: 10) > penalised.rank(-3, length: 2))
    }
}
