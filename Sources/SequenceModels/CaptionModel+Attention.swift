// The attention architecture's passes (Yao et al. 2015, soft attention over time). The encoder
// LSTM reads the projected frames (one batched run); its outputs v_i [H] are the memory and its
// final state starts the decoder. The decoder runs one LSTM step per word because each step's
// attention reads the state the previous step left. For example n, frame i < T_n and the decoder
// state h before step k:
//   q = W_q h [A],  z_i = tanh(q + W_k v_i + b_k) [A],  s_i = w · z_i,  α = softmax_i(s),
//   ctx = Σ_i α_i v_i [H],  input_k = [ctx, embed(word_{k−1} or <bos>)],  h' = LSTM(input_k, h).
// Backward runs the steps in reverse: each step's LSTM backward gives the gradient of its input
// (→ ctx → α → s → z → q, W_q, keys, values) and of the state before it, to which the
// attention's dq·W_q is added; the memory's and the first state's gradients then go back through
// the encoder.
import DNNL
import Foundation
import TensorCore

/// The encoder outputs of a batch's frames and their attention keys.
struct AttentionMemory {
    /// `[R, H]` and `[R, A]`, example-major rows (`CaptionBatch.frameStart`).
    var values: Tensor
    var keys: Tensor
}

/// What one teacher-forced step keeps for the backward pass.
struct AttentionStep {
    /// The decoder state before the step, `[N, H]` (h only; c lives in the LSTM cache).
    var hPrevious: [Float]
    /// Per example: α over its frames and the tanh activations `[T_n, A]`.
    var alpha: [[Float]]
    var z: [[Float]]
    var lstm: LSTMCache
    var output: Tensor
}

struct AttentionPass {
    var memory: AttentionMemory
    var encoder: LSTMOutput
    var steps: [AttentionStep]
}

extension CaptionModel {
    var attentionSize: Int { configuration.attentionSize ?? 0 }

    /// q = h·W_qᵀ for `[N, H]` states.
    func attentionQueries(_ h: [Float], count: Int) throws -> [Float] {
        guard let query = attentionQuery else { preconditionFailure("attentionQueries: not an attention model") }
        let (a, hidden) = (attentionSize, configuration.hiddenSize)
        var q = [Float](repeating: 0, count: count * a)
        try parameters.withUnsafeBufferPointer { w in
            try h.withUnsafeBufferPointer { x in
                try q.withUnsafeMutableBufferPointer { y in
                    try GEMM.sgemm(
                        transposeA: false, transposeB: true, m: count, n: a, k: hidden, alpha: 1, a: x.start,
                        lda: hidden, b: w.start + query, ldb: hidden, beta: 0, c: y.start, ldc: a)
                }
            }
        }
        return q
    }

    /// α, z and the context of one example's frames (rows `start..<start+frames` of `memory`)
    /// for the query `q` [A].
    func attend(
        _ memory: AttentionMemory, start: Int, frames: Int, query q: ArraySlice<Float>
    ) -> (
        alpha: [Float], z: [Float], context: [Float]
    ) {
        guard let score = attentionScore else { preconditionFailure("attend: not an attention model") }
        let (a, p) = (attentionSize, configuration.hiddenSize)
        var z = [Float](repeating: 0, count: frames * a)
        var scores = [Float](repeating: 0, count: frames)
        let q0 = q.startIndex
        for i in 0..<frames {
            var sum: Float = 0
            for j in 0..<a {
                let value = tanhf(q[q0 + j] + memory.keys.storage[(start + i) * a + j])
                z[i * a + j] = value
                sum += parameters[score + j] * value
            }
            scores[i] = sum
        }
        let top = scores.max() ?? 0
        var alpha = scores.map { expf($0 - top) }
        let total = alpha.reduce(0, +)
        alpha = alpha.map { $0 / total }
        var context = [Float](repeating: 0, count: p)
        for i in 0..<frames {
            for j in 0..<p { context[j] += alpha[i] * memory.values.storage[(start + i) * p + j] }
        }
        return (alpha, z, context)
    }

    /// Encoder outputs `[R, H]` (example-major) and their keys.
    func attentionMemory(_ values: Tensor) throws -> AttentionMemory {
        guard let key = attentionKey else { preconditionFailure("attentionMemory: not an attention model") }
        return AttentionMemory(values: values, keys: try key.forward(parameters: parameters, input: values))
    }

    /// The encoder over a batch's projected frames: its run, and its outputs as memory rows.
    func attentionEncode(_ batch: CaptionBatch, projected: Tensor) throws -> (LSTMOutput, Tensor) {
        guard let encoder else { preconditionFailure("attentionEncode: no encoder") }
        let (size, p, h) = (batch.size, configuration.projectionSize, configuration.hiddenSize)
        let frames = batch.examples.map { $0.features.shape[0] }
        let longest = frames.max() ?? 0
        var input = [Float](repeating: 0, count: longest * size * p)
        for n in 0..<size {
            for t in 0..<frames[n] {
                let row = batch.frameStart[n] + t
                for j in 0..<p { input[(t * size + n) * p + j] = projected.storage[row * p + j] }
            }
        }
        let out = try encoder.forward(
            parameters: parameters, input: Tensor(shape: [longest, size, p], storage: input), lengths: frames)
        var values = [Float](repeating: 0, count: projected.shape[0] * h)
        for n in 0..<size {
            for t in 0..<frames[n] {
                let row = batch.frameStart[n] + t
                for j in 0..<h { values[row * h + j] = out.output.storage[(t * size + n) * h + j] }
            }
        }
        return (out, Tensor(shape: [projected.shape[0], h], storage: values))
    }

    /// Teacher-forced decoder outputs `[T_max, N, H]` (rows t·N + n; t = word step) of a batch.
    func attentionForward(_ batch: CaptionBatch, projected: Tensor) throws -> (LSTMOutputSteps, AttentionPass) {
        let c = configuration
        let (size, h, width) = (batch.size, c.hiddenSize, c.decoderInputSize)
        let p = h  // the context's width
        let (encoded, values) = try attentionEncode(batch, projected: projected)
        let memory = try attentionMemory(values)
        var state = encoded.finalState
        var steps: [AttentionStep] = []
        var outputs = [Float](repeating: 0, count: batch.steps * size * h)
        for k in 0..<batch.steps {
            let hPrevious = state.h.storage
            let q = try attentionQueries(hPrevious, count: size)
            var input = [Float](repeating: 0, count: size * width)
            var alphas: [[Float]] = []
            var zs: [[Float]] = []
            for n in 0..<size {
                let frames = batch.examples[n].features.shape[0]
                let (alpha, z, context) = attend(
                    memory, start: batch.frameStart[n], frames: frames,
                    query: q[(n * attentionSize)..<((n + 1) * attentionSize)])
                alphas.append(alpha)
                zs.append(z)
                for j in 0..<p { input[n * width + j] = context[j] }
                if k < batch.lengths[n], let word = batch.inputWord(n, k) {
                    for (j, value) in embed(word).enumerated() { input[n * width + p + j] = value }
                }
            }
            let lengths = batch.lengths.map { k < $0 ? 1 : 0 }
            let out = try decoder.forward(
                parameters: parameters, input: Tensor(shape: [1, size, width], storage: input), lengths: lengths,
                initialState: state)
            for i in 0..<(size * h) { outputs[k * size * h + i] = out.output.storage[i] }
            steps.append(AttentionStep(hPrevious: hPrevious, alpha: alphas, z: zs, lstm: out.cache, output: out.output))
            state = out.finalState
        }
        return (
            LSTMOutputSteps(output: Tensor(shape: [batch.steps, size, h], storage: outputs)),
            AttentionPass(memory: memory, encoder: encoded, steps: steps)
        )
    }

    /// The backward of `attentionForward`: accumulates every gradient and returns dL/d(projected
    /// frames) `[R, P]`.
    func attentionBackward(
        _ batch: CaptionBatch, pass: AttentionPass, dOutputs: [Float], gradients: inout [Float]
    ) throws -> [Float] {
        guard let query = attentionQuery, let score = attentionScore, let key = attentionKey, let encoder else {
            preconditionFailure("attentionBackward: not an attention model")
        }
        let c = configuration
        let (size, h, a, width) = (batch.size, c.hiddenSize, attentionSize, c.decoderInputSize)
        let p = h  // the context's width
        let memory = pass.memory
        var dValues = [Float](repeating: 0, count: memory.values.count)
        var dKeys = [Float](repeating: 0, count: memory.keys.count)
        var dState = LSTMState(zerosFor: decoder.configuration, batch: size)
        for k in (0..<batch.steps).reversed() {
            let step = pass.steps[k]
            let dOut = Array(dOutputs[(k * size * h)..<((k + 1) * size * h)])
            let (dInputTensor, dInitial) = try decoder.backward(
                parameters: parameters, gradients: &gradients, cache: step.lstm,
                outputGradient: Tensor(shape: [1, size, h], storage: dOut), finalStateGradient: dState)
            guard let dInput = dInputTensor?.storage else {
                preconditionFailure("attentionBackward: the decoder returned no input gradient")
            }
            var dq = [Float](repeating: 0, count: size * a)
            for n in 0..<size where k < batch.lengths[n] {
                if let word = batch.inputWord(n, k) {
                    for j in 0..<c.embeddingSize {
                        gradients[embedding + word * c.embeddingSize + j] += dInput[n * width + p + j]
                    }
                }
                let (start, frames) = (batch.frameStart[n], batch.examples[n].features.shape[0])
                let alpha = step.alpha[n]
                var dAlpha = [Float](repeating: 0, count: frames)
                for i in 0..<frames {
                    var sum: Float = 0
                    for j in 0..<p {
                        let g = dInput[n * width + j]
                        sum += g * memory.values.storage[(start + i) * p + j]
                        dValues[(start + i) * p + j] += alpha[i] * g
                    }
                    dAlpha[i] = sum
                }
                var weighted: Float = 0
                for i in 0..<frames { weighted += alpha[i] * dAlpha[i] }
                for i in 0..<frames {
                    let ds = alpha[i] * (dAlpha[i] - weighted)
                    for j in 0..<a {
                        let z = step.z[n][i * a + j]
                        gradients[score + j] += ds * z
                        let dPre = ds * parameters[score + j] * (1 - z * z)
                        dq[n * a + j] += dPre
                        dKeys[(start + i) * a + j] += dPre
                    }
                }
            }
            // dW_q += dqᵀ·h_prev;  dh_prev += dq·W_q.
            var dh = dInitial.h.storage
            try dq.withUnsafeBufferPointer { dqp in
                try step.hPrevious.withUnsafeBufferPointer { hp in
                    try gradients.withUnsafeMutableBufferPointer { g in
                        try GEMM.sgemm(
                            transposeA: true, transposeB: false, m: a, n: h, k: size, alpha: 1, a: dqp.start, lda: a,
                            b: hp.start, ldb: h, beta: 1, c: g.start + query, ldc: h)
                    }
                }
                try parameters.withUnsafeBufferPointer { w in
                    try dh.withUnsafeMutableBufferPointer { y in
                        try GEMM.sgemm(
                            transposeA: false, transposeB: false, m: size, n: h, k: a, alpha: 1, a: dqp.start, lda: a,
                            b: w.start + query, ldb: h, beta: 1, c: y.start, ldc: h)
                    }
                }
            }
            dState = LSTMState(h: Tensor(shape: [1, size, h], storage: dh), c: dInitial.c)
        }
        let dFromKeys = try key.backward(
            parameters: parameters, gradients: &gradients, input: memory.values,
            outputGradient: Tensor(shape: memory.keys.shape, storage: dKeys))
        for i in dValues.indices { dValues[i] += dFromKeys.storage[i] }
        // Through the encoder: its outputs (the memory) and its final state (the decoder's start).
        let frames = batch.examples.map { $0.features.shape[0] }
        let longest = frames.max() ?? 0
        var dEncoded = [Float](repeating: 0, count: longest * size * h)
        for n in 0..<size {
            for t in 0..<frames[n] {
                let row = batch.frameStart[n] + t
                for j in 0..<h { dEncoded[(t * size + n) * h + j] = dValues[row * h + j] }
            }
        }
        let (dFramesTensor, _) = try encoder.backward(
            parameters: parameters, gradients: &gradients, cache: pass.encoder.cache,
            outputGradient: Tensor(shape: [longest, size, h], storage: dEncoded), finalStateGradient: dState)
        guard let dFrames = dFramesTensor?.storage else {
            preconditionFailure("attentionBackward: the encoder returned no input gradient")
        }
        let pSize = c.projectionSize
        var dProjected = [Float](repeating: 0, count: batch.frames.shape[0] * pSize)
        for n in 0..<size {
            for t in 0..<frames[n] {
                let row = batch.frameStart[n] + t
                for j in 0..<pSize { dProjected[row * pSize + j] = dFrames[(t * size + n) * pSize + j] }
            }
        }
        return dProjected
    }
}

/// Decoder outputs of all word steps, `[T, N, H]`.
struct LSTMOutputSteps {
    var output: Tensor
}
