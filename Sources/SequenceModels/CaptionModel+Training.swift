// The teacher-forced pass of `CaptionModel`: every example's frames and target words in one
// time-major batch (`[S_max, N, ·]`, row t·N + n; S_n = T_n + K_n for s2vt, K_n for mean-pool,
// shorter examples masked by their lengths), softmax cross-entropy averaged over all target words,
// and the backward pass through head, decoder, embedding, encoder and projection into a gradient
// buffer of the parameters' layout.
import TensorCore

/// Where each example's frames and words sit in a caption batch.
struct CaptionBatch {
    let examples: [CaptionExample]
    /// Frames of all examples stacked, `[R, D]` (example-major), encoded as the projection reads them.
    var frames: Tensor
    let frameStart: [Int]
    /// Steps per example and the longest.
    let lengths: [Int]
    let steps: Int
    /// The first decoding step of each example (T_n for s2vt, 0 for mean-pool).
    let decodeStart: [Int]
    /// Scheduled sampling: per example, the word fed at decoding step k ≥ 1 in place of the
    /// reference word k − 1 (nil: the reference words).
    var fedWords: [[Int]]? = nil

    init(_ examples: [CaptionExample], model: CaptionModel) {
        self.examples = examples
        let architecture = model.configuration.architecture
        let width = model.configuration.encodedInputSize
        var storage: [Float] = []
        var starts: [Int] = []
        for example in examples {
            starts.append(storage.count / width)
            storage += model.encodedFrames(example.features).storage
        }
        frames = Tensor(shape: [storage.count / width, width], storage: storage)
        frameStart = starts
        let decodeStart = examples.map { architecture == .s2vt ? $0.features.shape[0] : 0 }
        let lengths = examples.indices.map { decodeStart[$0] + examples[$0].words.count }
        self.decodeStart = decodeStart
        self.lengths = lengths
        steps = lengths.max() ?? 0
    }

    var size: Int { examples.count }

    /// The batch with dropout on its frames (p of the values zeroed, the rest scaled by 1/(1 − p)),
    /// drawn from `rng`.
    func droppingFrames(_ p: Float, rng: inout SeededRNG) -> CaptionBatch {
        var copy = self
        let scale = 1 / (1 - p)
        var values = frames.storage
        for i in values.indices { values[i] = rng.uniformFloat() < p ? 0 : values[i] * scale }
        copy.frames = Tensor(shape: frames.shape, storage: values)
        return copy
    }

    /// The word whose embedding the decoder reads at step t of example n (nil: zero embedding).
    func inputWord(_ n: Int, _ t: Int) -> Int? {
        let k = t - decodeStart[n]
        if k < 0 { return nil }
        if k == 0 { return CaptionTokens.bos }
        return fedWords?[n][k - 1] ?? examples[n].words[k - 1]
    }

    /// The batch with scheduled sampling: each word fed at decoding step k ≥ 1 is, with probability
    /// `p` (drawn from `rng`, example by example, step by step), `predicted[n][k − 1]` (the model's
    /// arg-max at step k − 1 of a teacher-forced pass) instead of the reference word k − 1.
    func feeding(_ predicted: [[Int]], probability p: Float, rng: inout SeededRNG) -> CaptionBatch {
        var copy = self
        copy.fedWords = examples.indices.map { n in
            let words = examples[n].words
            return (0..<max(words.count - 1, 0)).map { k in rng.uniformFloat() < p ? predicted[n][k] : words[k] }
        }
        return copy
    }

    /// (example, step) of every target word, example-major: the rows of the logits.
    var targetSteps: [(n: Int, t: Int)] {
        examples.indices.flatMap { n in (0..<examples[n].words.count).map { (n, decodeStart[n] + $0) } }
    }

    var targets: [Int] { examples.flatMap(\.words) }
}

/// What the teacher-forced forward pass keeps for the backward pass.
struct CaptionForward {
    var logits: Tensor
    var projected: Tensor
    var encoder: LSTMOutput?
    /// The decoder's run over all steps (s2vt, mean-pool), or its steps with attention.
    var decoder: LSTMOutput?
    var attention: AttentionPass?
    var headInput: Tensor
}

extension CaptionModel {
    /// Teacher-forced logits `[M, V]`, one row per target word (example-major).
    func forward(_ batch: CaptionBatch) throws -> CaptionForward {
        let c = configuration
        let (steps, size, p, h) = (batch.steps, batch.size, c.projectionSize, c.hiddenSize)
        let projected = try projection.forward(parameters: parameters, input: batch.frames)
        if c.architecture == .attention {
            let (decoded, attention) = try attentionForward(batch, projected: projected)
            let (headInput, logits) = try headLogits(batch, decoded: decoded.output)
            return CaptionForward(
                logits: logits, projected: projected, encoder: nil, decoder: nil, attention: attention,
                headInput: headInput)
        }
        var encoderOutput: LSTMOutput? = nil
        let context: Int
        var decoderInput = [Float](repeating: 0, count: steps * size * c.decoderInputSize)
        let width = c.decoderInputSize
        if let encoder {
            context = h
            var input = [Float](repeating: 0, count: steps * size * p)
            let frameRows = (0..<size).flatMap { n in
                (0..<batch.decodeStart[n]).map { t in ((batch.frameStart[n] + t) * p, (t * size + n) * p) }
            }
            RowCopy.copy(frameRows, width: p, from: projected.storage, into: &input)
            let out = try encoder.forward(
                parameters: parameters, input: Tensor(shape: [steps, size, p], storage: input), lengths: batch.lengths)
            let stepRows = (0..<size).flatMap { n in
                (0..<batch.lengths[n]).map { t in ((t * size + n) * h, (t * size + n) * width) }
            }
            RowCopy.copy(stepRows, width: h, from: out.output.storage, into: &decoderInput)
            encoderOutput = out
        } else {
            context = p
            for n in 0..<size {
                let mean = meanFrame(projected, start: batch.frameStart[n], count: batch.examples[n].features.shape[0])
                for t in 0..<batch.lengths[n] {
                    for j in 0..<p { decoderInput[(t * size + n) * width + j] = mean[j] }
                }
            }
        }
        let e = c.embeddingSize
        let wordRows = (0..<size).flatMap { n in
            (0..<batch.lengths[n]).compactMap { t in
                batch.inputWord(n, t).map { (embedding + $0 * e, (t * size + n) * width + context) }
            }
        }
        RowCopy.copy(wordRows, width: e, from: parameters, into: &decoderInput)
        let decoded = try decoder.forward(
            parameters: parameters, input: Tensor(shape: [steps, size, width], storage: decoderInput),
            lengths: batch.lengths)
        let (headInput, logits) = try headLogits(batch, decoded: decoded.output)
        return CaptionForward(
            logits: logits, projected: projected, encoder: encoderOutput, decoder: decoded, attention: nil,
            headInput: headInput)
    }

    /// The decoder outputs at every target step `[M, H]` (example-major) and their logits `[M, V]`.
    func headLogits(_ batch: CaptionBatch, decoded: Tensor) throws -> (Tensor, Tensor) {
        let (size, h) = (batch.size, configuration.hiddenSize)
        let rows = batch.targetSteps
        var headInput = [Float](repeating: 0, count: rows.count * h)
        RowCopy.copy(
            rows.enumerated().map { i, row in ((row.t * size + row.n) * h, i * h) }, width: h, from: decoded.storage,
            into: &headInput)
        let headTensor = Tensor(shape: [rows.count, h], storage: headInput)
        return (headTensor, try head.forward(parameters: parameters, input: headTensor))
    }

    /// The mean of `count` projected frames from row `start`.
    func meanFrame(_ projected: Tensor, start: Int, count: Int) -> [Float] {
        let p = configuration.projectionSize
        var mean = [Float](repeating: 0, count: p)
        for row in start..<(start + count) {
            for j in 0..<p { mean[j] += projected.storage[row * p + j] }
        }
        return mean.map { $0 / Float(count) }
    }

    /// Mean cross-entropy over every target word of `examples` and its gradients, accumulated
    /// into `gradients` (the parameters' layout).
    public func lossAndGradients(
        _ examples: [CaptionExample], gradients: inout [Float]
    ) throws -> (
        loss: Float, words: Int
    ) {
        let batch = CaptionBatch(examples, model: self)
        let pass = try forward(batch)
        let (loss, dLogits, _) = SoftmaxCrossEntropy.lossAndGradient(logits: pass.logits, labels: batch.targets)
        try backward(batch, pass: pass, dLogits: dLogits, gradients: &gradients)
        return (loss, batch.targets.count)
    }

    /// Teacher-forced logits of one example, `[K, V]`.
    public func teacherForcedLogits(_ example: CaptionExample) throws -> Tensor {
        try forward(CaptionBatch([example], model: self)).logits
    }

    func backward(_ batch: CaptionBatch, pass: CaptionForward, dLogits: Tensor, gradients: inout [Float]) throws {
        let c = configuration
        let (steps, size, p, h, e) = (batch.steps, batch.size, c.projectionSize, c.hiddenSize, c.embeddingSize)
        let width = c.decoderInputSize
        let dHead = try head.backward(
            parameters: parameters, gradients: &gradients, input: pass.headInput, outputGradient: dLogits)
        var dDecoded = [Float](repeating: 0, count: steps * size * h)
        RowCopy.copy(
            batch.targetSteps.enumerated().map { i, row in (i * h, (row.t * size + row.n) * h) }, width: h,
            from: dHead.storage, into: &dDecoded)
        if let attention = pass.attention {
            let dProjected = try attentionBackward(batch, pass: attention, dOutputs: dDecoded, gradients: &gradients)
            try projection.accumulateParameterGradients(
                parameters: parameters, gradients: &gradients, input: batch.frames,
                outputGradient: Tensor(shape: pass.projected.shape, storage: dProjected))
            return
        }
        guard let decoded = pass.decoder else { preconditionFailure("CaptionModel.backward: no decoder pass") }
        // The decoder's zero word embeddings while it reads the frames, and the encoder's zero
        // frames while it emits words, are padding: no input gradient is computed for them.
        let (dDecoderInput, _) = try decoder.backward(
            parameters: parameters, gradients: &gradients, cache: decoded.cache,
            outputGradient: Tensor(shape: [steps, size, h], storage: dDecoded), constantZeroInput: true)
        guard let dInput = dDecoderInput?.storage else {
            preconditionFailure("CaptionModel.backward: the decoder returned no input gradient")
        }
        let context = width - e
        // Added row by row in (example, step) order, as one value at a time did: a word used
        // several times gets its gradients summed in the same order.
        let wordRows = (0..<size).flatMap { n in
            (0..<batch.lengths[n]).compactMap { t in
                batch.inputWord(n, t).map { ((t * size + n) * width + context, embedding + $0 * e) }
            }
        }
        RowCopy.add(wordRows, width: e, from: dInput, into: &gradients)
        var dProjected = [Float](repeating: 0, count: pass.projected.count)
        if let encoder, let encoded = pass.encoder {
            var dEncoded = [Float](repeating: 0, count: steps * size * h)
            let stepRows = (0..<size).flatMap { n in
                (0..<batch.lengths[n]).map { t in ((t * size + n) * width, (t * size + n) * h) }
            }
            RowCopy.copy(stepRows, width: h, from: dInput, into: &dEncoded)
            let (dEncoderInput, _) = try encoder.backward(
                parameters: parameters, gradients: &gradients, cache: encoded.cache,
                outputGradient: Tensor(shape: [steps, size, h], storage: dEncoded), constantZeroInput: true)
            guard let dFrames = dEncoderInput?.storage else {
                preconditionFailure("CaptionModel.backward: the encoder returned no input gradient")
            }
            let frameRows = (0..<size).flatMap { n in
                (0..<batch.decodeStart[n]).map { t in ((t * size + n) * p, (batch.frameStart[n] + t) * p) }
            }
            RowCopy.copy(frameRows, width: p, from: dFrames, into: &dProjected)
        } else {
            for n in 0..<size {
                var dMean = [Float](repeating: 0, count: p)
                for t in 0..<batch.lengths[n] {
                    for j in 0..<p { dMean[j] += dInput[(t * size + n) * width + j] }
                }
                let count = batch.examples[n].features.shape[0]
                for row in batch.frameStart[n]..<(batch.frameStart[n] + count) {
                    for j in 0..<p { dProjected[row * p + j] = dMean[j] / Float(count) }
                }
            }
        }
        try projection.accumulateParameterGradients(
            parameters: parameters, gradients: &gradients, input: batch.frames,
            outputGradient: Tensor(shape: pass.projected.shape, storage: dProjected))
    }
}

/// Row copies between the flat buffers of a caption batch (`[R, width]` blocks at arbitrary
/// offsets) on raw pointers: one bounds check per row instead of per value. Each pair is (source
/// offset, destination offset).
enum RowCopy {
    static func copy(_ rows: [(Int, Int)], width: Int, from source: [Float], into destination: inout [Float]) {
        apply(rows, width: width, source, &destination) { $1.update(from: $0, count: width) }
    }

    /// As `copy`, adding to the destination (rows in the order given, each value in order).
    static func add(_ rows: [(Int, Int)], width: Int, from source: [Float], into destination: inout [Float]) {
        apply(rows, width: width, source, &destination) { from, to in
            for j in 0..<width { to[j] += from[j] }
        }
    }

    private static func apply(
        _ rows: [(Int, Int)], width: Int, _ source: [Float], _ destination: inout [Float],
        _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) {
        guard width > 0 && !rows.isEmpty else { return }
        source.withUnsafeBufferPointer { src in
            destination.withUnsafeMutableBufferPointer { dst in
                for (from, to) in rows {
                    precondition(
                        from >= 0 && from + width <= src.count && to >= 0 && to + width <= dst.count,
                        "RowCopy: row \(from)→\(to) of \(width) outside \(src.count) / \(dst.count) values")
                    body(src.start + from, dst.start + to)
                }
            }
        }
    }
}
