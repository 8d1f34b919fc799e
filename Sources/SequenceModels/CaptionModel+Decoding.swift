// Caption decoding: beam search over the model's word distribution, deterministic. Greedy decoding
// is the beam of width 1. Each step feeds every live hypothesis's last word back in (one batched
// LSTM step per stage), expands it by every word, and keeps the K best by summed log-probability
// (ties: the earlier hypothesis, then the lower word id; one pass over the B·V candidates, no sort).
// A hypothesis that emits <eos> is finished and ranked by log-probability / ((5 + length) / 6)^α
// (GNMT's length penalty, length counting the words and the <eos>; α = 0 ranks by log-probability
// alone). The search stops when K hypotheses are finished or `maxLength` words were emitted;
// unfinished ones then compete as they are.
import Foundation
import TensorCore

/// A decoded caption.
public struct DecodedCaption: Sendable, Equatable {
    /// Word ids without the final <eos>.
    public var words: [Int]
    /// Whether the model emitted <eos> (false: cut at the maximum length).
    public var finished: Bool
    /// Summed log-probability of the words (and the <eos> when finished).
    public var logProbability: Double
    /// Attention models: the weights over the frames at each emitted word (and the <eos> when
    /// finished), `[words][T]`; nil for the other architectures.
    public var attention: [[Float]]?

    public init(words: [Int], finished: Bool, logProbability: Double, attention: [[Float]]? = nil) {
        self.words = words
        self.finished = finished
        self.logProbability = logProbability
        self.attention = attention
    }
}

/// How to decode.
public struct CaptionDecoding: Sendable, Equatable, Codable {
    public var beam: Int
    public var lengthPenalty: Double
    public var maxLength: Int

    public init(beam: Int = 1, lengthPenalty: Double = 0, maxLength: Int = 20) {
        precondition(beam >= 1 && maxLength >= 1 && lengthPenalty >= 0, "CaptionDecoding")
        self.beam = beam
        self.lengthPenalty = lengthPenalty
        self.maxLength = maxLength
    }

    func rank(_ logProbability: Double, length: Int) -> Double {
        lengthPenalty == 0 ? logProbability : logProbability / pow((5 + Double(length)) / 6, lengthPenalty)
    }
}

/// The recurrent state of a batch of hypotheses.
private struct DecoderStates {
    var encoder: LSTMState?
    var decoder: LSTMState

    /// The states of the hypotheses at `rows`, in that order.
    func select(_ rows: [Int]) -> DecoderStates {
        func pick(_ state: LSTMState) -> LSTMState {
            let (batch, h) = (state.h.shape[1], state.h.shape[2])
            precondition(state.h.shape[0] == 1 && rows.allSatisfy { $0 < batch }, "DecoderStates.select")
            var hs: [Float] = []
            var cs: [Float] = []
            for row in rows {
                hs += state.h.storage[(row * h)..<((row + 1) * h)]
                cs += state.c.storage[(row * h)..<((row + 1) * h)]
            }
            return LSTMState(
                h: Tensor(shape: [1, rows.count, h], storage: hs), c: Tensor(shape: [1, rows.count, h], storage: cs))
        }
        return DecoderStates(encoder: encoder.map(pick), decoder: pick(decoder))
    }
}

extension CaptionModel {
    /// The caption of one video's features `[T, D]`.
    public func caption(features: Tensor, decoding: CaptionDecoding = CaptionDecoding()) throws -> DecodedCaption {
        precondition(
            features.rank == 2 && features.shape[0] > 0 && features.shape[1] == configuration.inputSize,
            "CaptionModel.caption: features \(features.shape)")
        var (states, context, memory) = try encode(features)
        struct Hypothesis {
            var words: [Int]
            var logProbability: Double
            var attention: [[Float]]
        }
        var live = [Hypothesis(words: [], logProbability: 0, attention: [])]
        var finished: [(DecodedCaption, Double)] = []
        for length in 1...decoding.maxLength {
            let previous = live.map { $0.words.last ?? CaptionTokens.bos }
            let (logProbabilities, next, alphas) = try step(states, context: context, memory: memory, words: previous)
            var kept: [Hypothesis] = []
            var rows: [Int] = []
            // The K − (already finished) best expansions: those ending in <eos> finish, the rest live on.
            let expansions = Self.bestExpansions(
                live.map(\.logProbability), logProbabilities, vocabulary: configuration.vocabularySize,
                count: decoding.beam - finished.count)
            for candidate in expansions {
                let words = live[candidate.hypothesis].words
                let attention = live[candidate.hypothesis].attention + (alphas.map { [$0[candidate.hypothesis]] } ?? [])
                if candidate.word == CaptionTokens.eos {
                    let caption = DecodedCaption(
                        words: words, finished: true, logProbability: candidate.score,
                        attention: memory == nil ? nil : attention)
                    finished.append((caption, decoding.rank(candidate.score, length: length)))
                } else {
                    kept.append(
                        Hypothesis(
                            words: words + [candidate.word], logProbability: candidate.score, attention: attention))
                    rows.append(candidate.hypothesis)
                }
            }
            if finished.count >= decoding.beam || kept.isEmpty { break }
            live = kept
            states = next.select(rows)
            context = rows.map { context[$0] }
        }
        if finished.count < decoding.beam {
            for hypothesis in live {
                let caption = DecodedCaption(
                    words: hypothesis.words, finished: false, logProbability: hypothesis.logProbability,
                    attention: memory == nil ? nil : hypothesis.attention)
                finished.append((caption, decoding.rank(hypothesis.logProbability, length: hypothesis.words.count)))
            }
        }
        // The best rank; on a tie the one found first.
        var best = finished[0]
        for entry in finished.dropFirst() where entry.1 > best.1 { best = entry }
        return best.0
    }

    /// The `count` best expansions of live hypotheses whose summed log-probabilities are `scores`
    /// (`[B]`), by every word of `logProbabilities` (`[B·V]`): best first, ties in (hypothesis, word)
    /// order, i.e. the first `count` of a stable sort of all B·V candidates by descending score, found
    /// in one pass that keeps at most `count` of them (a candidate not above the worst kept one, once
    /// `count` are kept, is skipped by one comparison).
    static func bestExpansions(
        _ scores: [Double], _ logProbabilities: [Double], vocabulary: Int, count: Int
    ) -> [(hypothesis: Int, word: Int, score: Double)] {
        precondition(logProbabilities.count == scores.count * vocabulary, "CaptionModel.bestExpansions: sizes")
        var best: [(hypothesis: Int, word: Int, score: Double)] = []
        guard count > 0 else { return best }
        best.reserveCapacity(count + 1)
        logProbabilities.withUnsafeBufferPointer { logP in
            for (hypothesis, base) in scores.enumerated() {
                for word in 0..<vocabulary {
                    let score = base + logP[hypothesis * vocabulary + word]
                    if best.count == count, let worst = best.last, score <= worst.score { continue }
                    // After every kept candidate scoring at least as much: they came first.
                    var position = best.count
                    while position > 0 && best[position - 1].score < score { position -= 1 }
                    best.insert((hypothesis, word, score), at: position)
                    if best.count > count { best.removeLast() }
                }
            }
        }
        return best
    }

    /// Reads the frames: the states after them, the per-step context of mean-pool (its mean frame;
    /// empty for the others), and attention's memory (the encoder's outputs and their keys).
    private func encode(_ features: Tensor) throws -> (DecoderStates, [[Float]], AttentionMemory?) {
        let c = configuration
        let frames = features.shape[0]
        let projected = try projection.forward(parameters: parameters, input: encodedFrames(features))
        guard let encoder else {
            let zero = LSTMState(zerosFor: decoder.configuration, batch: 1)
            return (DecoderStates(encoder: nil, decoder: zero), [meanFrame(projected, start: 0, count: frames)], nil)
        }
        let encoded = try encoder.forward(
            parameters: parameters, input: projected.reshaped([frames, 1, c.projectionSize]), lengths: [frames])
        if c.architecture == .attention {
            // The decoder starts from the encoder's final state and attends over its outputs.
            let memory = try attentionMemory(encoded.output.reshaped([frames, c.hiddenSize]))
            return (DecoderStates(encoder: nil, decoder: encoded.finalState), [[]], memory)
        }
        // The decoder reads [encoder output, zero embedding] while the frames pass.
        var input = [Float](repeating: 0, count: frames * c.decoderInputSize)
        for t in 0..<frames {
            for j in 0..<c.hiddenSize {
                input[t * c.decoderInputSize + j] = encoded.output.storage[t * c.hiddenSize + j]
            }
        }
        let decoded = try decoder.forward(
            parameters: parameters, input: Tensor(shape: [frames, 1, c.decoderInputSize], storage: input),
            lengths: [frames])
        return (DecoderStates(encoder: encoded.finalState, decoder: decoded.finalState), [[]], nil)
    }

    /// One decoding step for a batch of hypotheses that last emitted `words`: log-probabilities
    /// `[B·V]`, the states after the step, and (attention) each hypothesis's weights over the frames.
    private func step(
        _ states: DecoderStates, context: [[Float]], memory: AttentionMemory?, words: [Int]
    ) throws -> ([Double], DecoderStates, [[Float]]?) {
        let c = configuration
        let batch = words.count
        var input = [Float](repeating: 0, count: batch * c.decoderInputSize)
        var encoderState: LSTMState? = nil
        var alphas: [[Float]]? = nil
        if let memory {
            let q = try attentionQueries(states.decoder.h.storage, count: batch)
            let frames = memory.values.shape[0]
            alphas = []
            for n in 0..<batch {
                let (alpha, _, context) = attend(
                    memory, start: 0, frames: frames, query: q[(n * attentionSize)..<((n + 1) * attentionSize)])
                alphas?.append(alpha)
                for (j, value) in context.enumerated() { input[n * c.decoderInputSize + j] = value }
            }
        } else if let encoder, let state = states.encoder {
            let out = try encoder.forward(
                parameters: parameters, input: Tensor(zeros: [1, batch, c.projectionSize]),
                lengths: [Int](repeating: 1, count: batch), initialState: state)
            encoderState = out.finalState
            for n in 0..<batch {
                for j in 0..<c.hiddenSize {
                    input[n * c.decoderInputSize + j] = out.output.storage[n * c.hiddenSize + j]
                }
            }
        } else {
            for n in 0..<batch {
                for (j, value) in context[n].enumerated() { input[n * c.decoderInputSize + j] = value }
            }
        }
        let offset = c.decoderInputSize - c.embeddingSize
        for n in 0..<batch {
            for (j, value) in embed(words[n]).enumerated() { input[n * c.decoderInputSize + offset + j] = value }
        }
        let out = try decoder.forward(
            parameters: parameters, input: Tensor(shape: [1, batch, c.decoderInputSize], storage: input),
            lengths: [Int](repeating: 1, count: batch), initialState: states.decoder)
        let logits = try head.forward(parameters: parameters, input: out.output.reshaped([batch, c.hiddenSize]))
        var logProbabilities = [Double](repeating: 0, count: logits.count)
        let v = c.vocabularySize
        for n in 0..<batch {
            let row = logits.storage[(n * v)..<((n + 1) * v)].map(Double.init)
            let top = row.max() ?? 0
            let logSum = top + log(row.reduce(0) { $0 + exp($1 - top) })
            for j in 0..<v { logProbabilities[n * v + j] = row[j] - logSum }
        }
        return (logProbabilities, DecoderStates(encoder: encoderState, decoder: out.finalState), alphas)
    }
}
