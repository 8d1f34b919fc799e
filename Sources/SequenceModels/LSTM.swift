// A stacked, optionally bidirectional LSTM with `torch.nn.LSTM`'s semantics, forward and backward
// through time side by side, on one flat parameter buffer (names and layout in
// `LSTMConfiguration.swift`).
//
// Shapes: T time steps, N batch, I input width of a layer, H hidden, D directions; tensors are
// time-major (`[T, N, ·]`, as `torch.nn.LSTM(batch_first=False)`). Gate order i, f, g, o:
//   gates = x_t·W_ihᵀ + b_ih + h_{t-1}·W_hhᵀ + b_hh,  i, f, o = σ(·), g = tanh(·)
//   c_t = f ⊙ c_{t-1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)
// Variable lengths: sequence n is valid for t < lengths[n]. A padded step changes nothing: its
// state is carried, its output is 0 and it gets no gradient — the semantics of PyTorch's packed
// sequences, so the reverse direction starts at each sequence's own last valid step.
//
// Fast path: the input projection of all T·N rows of a layer is one `dnnl_sgemm`
// (`[T·N, I]·W_ihᵀ`), each step adds `h_{t-1}·W_hhᵀ` with a second GEMM; backward does one GEMM
// per step for dh and three over all steps for dW_ih, dW_hh and dx. The naive twin is `NaiveLSTM`.

import DNNL
import Foundation
import TensorCore

/// An LSTM whose parameters live in a caller's flat buffer at `slots`.
public struct LSTM: Sendable {
    public let configuration: LSTMConfiguration
    let slots: [[LSTMSlot]]

    /// Appends the LSTM's tensors to `layout` under `prefix` (e.g. "lstm.").
    public init(configuration: LSTMConfiguration, layout: inout ParameterLayout, prefix: String = "lstm.") {
        self.configuration = configuration
        slots = configuration.appendParameters(to: &layout, prefix: prefix)
    }

    /// Inference or training without dropout: outputs `[T, N, D·H]`, final state, cache.
    public func forward(
        parameters: [Float], input: Tensor, lengths: [Int], initialState: LSTMState? = nil
    ) throws -> LSTMOutput {
        try run(parameters: parameters, input: input, lengths: lengths, initialState: initialState) { _ in nil }
    }

    /// Training: as `forward`, with dropout between layers drawn from `rng` when configured.
    public func forward(
        parameters: [Float], input: Tensor, lengths: [Int], initialState: LSTMState? = nil,
        training rng: inout SeededRNG
    ) throws -> LSTMOutput {
        let p = configuration.dropout
        guard p > 0 else { return try forward(parameters: parameters, input: input, lengths: lengths) }
        let scale = 1 / (1 - p)
        return try run(parameters: parameters, input: input, lengths: lengths, initialState: initialState) { count in
            (0..<count).map { _ in rng.uniformFloat() < p ? 0 : scale }
        }
    }

    private func run(
        parameters: [Float], input: Tensor, lengths: [Int], initialState: LSTMState?,
        dropoutMask: (Int) -> [Float]?
    ) throws -> LSTMOutput {
        let (steps, batch) = (input.shape.first ?? 0, input.rank == 3 ? input.shape[1] : 0)
        let (h, d) = (configuration.hiddenSize, configuration.directions)
        precondition(
            input.rank == 3 && input.shape[2] == configuration.inputSize && lengths.count == batch
                && lengths.allSatisfy { $0 >= 0 && $0 <= steps },
            "LSTM.forward: input \(input.shape) must be [T, N, \(configuration.inputSize)], lengths \(lengths) in 0...T"
        )
        let state = initialState ?? LSTMState(zerosFor: configuration, batch: batch)
        precondition(
            state.h.shape == [configuration.layers * d, batch, h], "LSTM.forward: initial state \(state.h.shape)")
        var layerInput = input.storage
        var final = LSTMState(zerosFor: configuration, batch: batch)
        var layers: [LSTMCache.Layer] = []
        for layer in 0..<configuration.layers {
            var mask: [Float]? = nil
            if layer > 0, let drawn = dropoutMask(layerInput.count) {
                for i in layerInput.indices { layerInput[i] *= drawn[i] }
                mask = drawn
            }
            var output = [Float](repeating: 0, count: steps * batch * d * h)
            var directions: [LSTMCache.Direction] = []
            for direction in 0..<d {
                let index = layer * d + direction
                let range = (index * batch * h)..<((index + 1) * batch * h)
                var hState = Array(state.h.storage[range])
                var cState = Array(state.c.storage[range])
                directions.append(
                    try forwardDirection(
                        slots[layer][direction], direction: direction, parameters: parameters, input: layerInput,
                        lengths: lengths, h: &hState, c: &cState, output: &output))
                final.h.withUnsafeMutableBufferPointer { _ = $0[range].update(fromContentsOf: hState) }
                final.c.withUnsafeMutableBufferPointer { _ = $0[range].update(fromContentsOf: cState) }
            }
            layers.append(LSTMCache.Layer(input: layerInput, dropoutMask: mask, directions: directions))
            layerInput = output
        }
        let cache = LSTMCache(layers: layers, steps: steps, batch: batch, lengths: lengths)
        return LSTMOutput(
            output: Tensor(shape: [steps, batch, d * h], storage: layerInput), finalState: final, cache: cache)
    }

    /// One layer-direction through time; writes its H columns of `output` and leaves the final
    /// state in `h`, `c`.
    private func forwardDirection(
        _ slot: LSTMSlot, direction: Int, parameters: [Float], input: [Float], lengths: [Int],
        h: inout [Float], c: inout [Float], output: inout [Float]
    ) throws -> LSTMCache.Direction {
        let hidden = configuration.hiddenSize
        let (steps, batch, g4, width) = (
            lengths.isEmpty ? 0 : input.count / (lengths.count * slot.inputSize),
            lengths.count, 4 * hidden, configuration.outputSize
        )
        var cache = LSTMCache.Direction(
            gates: [Float](repeating: 0, count: steps * batch * g4),
            hPrev: [Float](repeating: 0, count: steps * batch * hidden),
            cPrev: [Float](repeating: 0, count: steps * batch * hidden),
            tanhC: [Float](repeating: 0, count: steps * batch * hidden))
        guard steps > 0 && batch > 0 else { return cache }
        try parameters.withUnsafeBufferPointer { w in
            let w = w.baseAddress!
            try cache.gates.withUnsafeMutableBufferPointer { gates in
                let gates = gates.baseAddress!
                for row in 0..<(steps * batch) {
                    for j in 0..<g4 { gates[row * g4 + j] = w[slot.biasIH + j] + w[slot.biasHH + j] }
                }
                try input.withUnsafeBufferPointer { x in
                    try GEMM.sgemm(
                        transposeA: false, transposeB: true, m: steps * batch, n: g4, k: slot.inputSize, alpha: 1,
                        a: x.baseAddress!, lda: slot.inputSize, b: w + slot.weightIH, ldb: slot.inputSize, beta: 1,
                        c: gates, ldc: g4)
                }
            }
            for step in 0..<steps {
                let t = direction == 0 ? step : steps - 1 - step
                guard lengths.contains(where: { $0 > t }) else { continue }
                let base = t * batch * hidden
                cache.hPrev.replaceSubrange(base..<(base + batch * hidden), with: h)
                cache.cPrev.replaceSubrange(base..<(base + batch * hidden), with: c)
                try cache.hPrev.withUnsafeBufferPointer { hPrev in
                    try cache.gates.withUnsafeMutableBufferPointer { gates in
                        try GEMM.sgemm(
                            transposeA: false, transposeB: true, m: batch, n: g4, k: hidden, alpha: 1,
                            a: hPrev.baseAddress! + base, lda: hidden, b: w + slot.weightHH, ldb: hidden, beta: 1,
                            c: gates.baseAddress! + t * batch * g4, ldc: g4)
                    }
                }
                for n in 0..<batch {
                    let row = t * batch + n
                    if t >= lengths[n] {
                        for j in 0..<g4 { cache.gates[row * g4 + j] = 0 }
                        continue
                    }
                    Self.cellForward(
                        gates: &cache.gates, gateOffset: row * g4, tanhC: &cache.tanhC, stateOffset: n * hidden,
                        rowOffset: row * hidden, h: &h, c: &c, output: &output,
                        outputOffset: row * width + direction * hidden, hidden: hidden)
                }
            }
        }
        return cache
    }

    /// The elementwise part of one step for one sequence: activates the gates in place and updates
    /// `(h, c)` and the output row.
    @inline(__always)
    private static func cellForward(
        gates: inout [Float], gateOffset: Int, tanhC: inout [Float], stateOffset: Int, rowOffset: Int,
        h: inout [Float], c: inout [Float], output: inout [Float], outputOffset: Int, hidden: Int
    ) {
        gates.withUnsafeMutableBufferPointer { gates in
            let gate = gates.baseAddress! + gateOffset
            for j in 0..<hidden {
                let i = sigmoid(gate[j])
                let f = sigmoid(gate[hidden + j])
                let g = tanhf(gate[2 * hidden + j])
                let o = sigmoid(gate[3 * hidden + j])
                gate[j] = i
                gate[hidden + j] = f
                gate[2 * hidden + j] = g
                gate[3 * hidden + j] = o
                let cell = f * c[stateOffset + j] + i * g
                let tc = tanhf(cell)
                c[stateOffset + j] = cell
                h[stateOffset + j] = o * tc
                tanhC[rowOffset + j] = tc
                output[outputOffset + j] = o * tc
            }
        }
    }

    // MARK: Backward

    /// Gradients of a forward pass: accumulates (`+=`) into `gradients` (same layout as
    /// `parameters`; zero it before the first backward of a step) and returns the gradients of the
    /// input `[T, N, I]` and of the initial state. `outputGradient` is `[T, N, D·H]` (its padded
    /// steps are ignored); `finalStateGradient` may be nil (zero).
    public func backward(
        parameters: [Float], gradients: inout [Float], cache: LSTMCache, outputGradient: Tensor,
        finalStateGradient: LSTMState? = nil
    ) throws -> (input: Tensor, initialState: LSTMState) {
        let (steps, batch, h, d) = (cache.steps, cache.batch, configuration.hiddenSize, configuration.directions)
        precondition(
            outputGradient.shape == [steps, batch, d * h] && gradients.count == parameters.count,
            "LSTM.backward: output gradient \(outputGradient.shape), expected \([steps, batch, d * h])")
        let finalGradient = finalStateGradient ?? LSTMState(zerosFor: configuration, batch: batch)
        var initial = LSTMState(zerosFor: configuration, batch: batch)
        var dOutput = outputGradient.storage
        for layer in (0..<configuration.layers).reversed() {
            let layerCache = cache.layers[layer]
            var dInput = [Float](repeating: 0, count: layerCache.input.count)
            for direction in 0..<d {
                let index = layer * d + direction
                let range = (index * batch * h)..<((index + 1) * batch * h)
                var dh = Array(finalGradient.h.storage[range])
                var dc = Array(finalGradient.c.storage[range])
                try backwardDirection(
                    slots[layer][direction], direction: direction, parameters: parameters, gradients: &gradients,
                    cache: layerCache.directions[direction], input: layerCache.input, lengths: cache.lengths,
                    dOutput: dOutput, dh: &dh, dc: &dc, dInput: &dInput)
                initial.h.withUnsafeMutableBufferPointer { _ = $0[range].update(fromContentsOf: dh) }
                initial.c.withUnsafeMutableBufferPointer { _ = $0[range].update(fromContentsOf: dc) }
            }
            if let mask = layerCache.dropoutMask {
                for i in dInput.indices { dInput[i] *= mask[i] }
            }
            dOutput = dInput
        }
        return (Tensor(shape: [steps, batch, configuration.inputSize], storage: dOutput), initial)
    }

    /// One layer-direction backward through time. `dh`, `dc` enter as the gradient of the final
    /// state and leave as that of the initial state; `dInput` is accumulated.
    private func backwardDirection(
        _ slot: LSTMSlot, direction: Int, parameters: [Float], gradients: inout [Float], cache: LSTMCache.Direction,
        input: [Float], lengths: [Int], dOutput: [Float], dh: inout [Float], dc: inout [Float], dInput: inout [Float]
    ) throws {
        let (hidden, batch) = (configuration.hiddenSize, lengths.count)
        let (g4, width) = (4 * hidden, configuration.outputSize)
        let steps = batch == 0 ? 0 : cache.hPrev.count / (batch * hidden)
        guard steps > 0 && batch > 0 else { return }
        var dGates = [Float](repeating: 0, count: steps * batch * g4)
        try parameters.withUnsafeBufferPointer { w in
            let w = w.baseAddress!
            for step in (0..<steps).reversed() {
                let t = direction == 0 ? step : steps - 1 - step
                var any = false
                for n in 0..<batch where t < lengths[n] {
                    any = true
                    let row = t * batch + n
                    Self.cellBackward(
                        cache: cache, dGates: &dGates, gateOffset: row * g4, rowOffset: row * hidden,
                        stateOffset: n * hidden, dOutput: dOutput, outputOffset: row * width + direction * hidden,
                        dh: &dh, dc: &dc, hidden: hidden)
                }
                guard any else { continue }
                // dh_{t-1} = dgates_t·W_hh for valid rows (zeroed above); padded rows add 0 and keep dh.
                try dGates.withUnsafeBufferPointer { dGates in
                    try dh.withUnsafeMutableBufferPointer { dh in
                        try GEMM.sgemm(
                            transposeA: false, transposeB: false, m: batch, n: hidden, k: g4, alpha: 1,
                            a: dGates.baseAddress! + t * batch * g4, lda: g4, b: w + slot.weightHH, ldb: hidden,
                            beta: 1, c: dh.baseAddress!, ldc: hidden)
                    }
                }
            }
            let rows = steps * batch
            try dGates.withUnsafeBufferPointer { dGatesBuffer in
                let dG = dGatesBuffer.baseAddress!
                try gradients.withUnsafeMutableBufferPointer { grad in
                    let grad = grad.baseAddress!
                    try input.withUnsafeBufferPointer { x in
                        try GEMM.sgemm(
                            transposeA: true, transposeB: false, m: g4, n: slot.inputSize, k: rows, alpha: 1, a: dG,
                            lda: g4, b: x.baseAddress!, ldb: slot.inputSize, beta: 1, c: grad + slot.weightIH,
                            ldc: slot.inputSize)
                    }
                    try cache.hPrev.withUnsafeBufferPointer { hPrev in
                        try GEMM.sgemm(
                            transposeA: true, transposeB: false, m: g4, n: hidden, k: rows, alpha: 1, a: dG, lda: g4,
                            b: hPrev.baseAddress!, ldb: hidden, beta: 1, c: grad + slot.weightHH, ldc: hidden)
                    }
                    for j in 0..<g4 {
                        var sum: Float = 0
                        for row in 0..<rows { sum += dG[row * g4 + j] }
                        grad[slot.biasIH + j] += sum
                        grad[slot.biasHH + j] += sum
                    }
                }
                try dInput.withUnsafeMutableBufferPointer { dx in
                    try GEMM.sgemm(
                        transposeA: false, transposeB: false, m: rows, n: slot.inputSize, k: g4, alpha: 1, a: dG,
                        lda: g4, b: w + slot.weightIH, ldb: slot.inputSize, beta: 1, c: dx.baseAddress!,
                        ldc: slot.inputSize)
                }
            }
        }
    }

    /// The elementwise part of one backward step for one sequence: writes the pre-activation gate
    /// gradients, updates `dc` to dc_{t-1} and zeroes `dh` (the GEMM adds dgates·W_hh).
    @inline(__always)
    private static func cellBackward(
        cache: LSTMCache.Direction, dGates: inout [Float], gateOffset: Int, rowOffset: Int, stateOffset: Int,
        dOutput: [Float], outputOffset: Int, dh: inout [Float], dc: inout [Float], hidden: Int
    ) {
        for j in 0..<hidden {
            let i = cache.gates[gateOffset + j]
            let f = cache.gates[gateOffset + hidden + j]
            let g = cache.gates[gateOffset + 2 * hidden + j]
            let o = cache.gates[gateOffset + 3 * hidden + j]
            let tc = cache.tanhC[rowOffset + j]
            let dhv = dh[stateOffset + j] + dOutput[outputOffset + j]
            let dcv = dc[stateOffset + j] + dhv * o * (1 - tc * tc)
            dGates[gateOffset + j] = dcv * g * i * (1 - i)
            dGates[gateOffset + hidden + j] = dcv * cache.cPrev[rowOffset + j] * f * (1 - f)
            dGates[gateOffset + 2 * hidden + j] = dcv * i * (1 - g * g)
            dGates[gateOffset + 3 * hidden + j] = dhv * tc * o * (1 - o)
            dc[stateOffset + j] = dcv * f
            dh[stateOffset + j] = 0
        }
    }

    @inline(__always)
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }
}
