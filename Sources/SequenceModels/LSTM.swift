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
// per step for dh and three over all steps for dW_ih, dW_hh and dx (dx of the first layer only when
// the caller asks for it). The elementwise cell runs on SIMD lanes (`LSTM+Cell.swift`). The naive
// twin is `NaiveLSTM`.

import DNNL
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
        guard p > 0 else {
            return try forward(parameters: parameters, input: input, lengths: lengths, initialState: initialState)
        }
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
            let zeros = layerInput.withUnsafeBufferPointer {
                InputZeros(scanning: $0.start, rows: steps * batch, width: layer == 0 ? configuration.inputSize : d * h)
            }
            for direction in 0..<d {
                let index = layer * d + direction
                let range = (index * batch * h)..<((index + 1) * batch * h)
                var hState = Array(state.h.storage[range])
                var cState = Array(state.c.storage[range])
                directions.append(
                    try forwardDirection(
                        slots[layer][direction], direction: direction, parameters: parameters, input: layerInput,
                        zeros: zeros, lengths: lengths, h: &hState, c: &cState, output: &output))
                final.h.withUnsafeMutableBufferPointer { _ = $0[range].update(fromContentsOf: hState) }
                final.c.withUnsafeMutableBufferPointer { _ = $0[range].update(fromContentsOf: cState) }
            }
            layers.append(
                LSTMCache.Layer(input: layerInput, zeros: zeros, dropoutMask: mask, directions: directions))
            layerInput = output
        }
        let cache = LSTMCache(layers: layers, steps: steps, batch: batch, lengths: lengths)
        return LSTMOutput(
            output: Tensor(shape: [steps, batch, d * h], storage: layerInput), finalState: final, cache: cache)
    }

    /// One layer-direction through time; writes its H columns of `output` and leaves the final
    /// state in `h`, `c`.
    private func forwardDirection(
        _ slot: LSTMSlot, direction: Int, parameters: [Float], input: [Float], zeros: InputZeros, lengths: [Int],
        h: inout [Float], c: inout [Float], output: inout [Float]
    ) throws -> LSTMCache.Direction {
        let hidden = configuration.hiddenSize
        let (steps, batch, g4) = (
            lengths.isEmpty ? 0 : input.count / (lengths.count * slot.inputSize), lengths.count, 4 * hidden
        )
        var cache = LSTMCache.Direction(
            gates: [Float](repeating: 0, count: steps * batch * g4),
            hPrev: [Float](repeating: 0, count: steps * batch * hidden),
            cPrev: [Float](repeating: 0, count: steps * batch * hidden),
            tanhC: [Float](repeating: 0, count: steps * batch * hidden))
        guard steps > 0 && batch > 0 else { return cache }
        try parameters.withUnsafeBufferPointer { w in
            let w = w.start
            try cache.gates.withUnsafeMutableBufferPointer { gates in
                let gates = gates.start
                let bias = (0..<g4).map { w[slot.biasIH + $0] + w[slot.biasHH + $0] }
                bias.withUnsafeBufferPointer { bias in
                    for row in 0..<(steps * batch) { (gates + row * g4).update(from: bias.start, count: g4) }
                }
                // The zero rows and block of the input (S2VT's padding) add nothing but the bias;
                // a long input goes through W_ihᵀ stored where that GEMM is faster (AVX-512).
                try input.withUnsafeBufferPointer { x in
                    guard zeros.prefersTransposedWeights else {
                        return try zeros.project(x.start, weights: w + slot.weightIH, gates: gates, gateWidth: g4)
                    }
                    let transposed = RowMajor.transposed(w + slot.weightIH, rows: g4, columns: slot.inputSize)
                    try transposed.withUnsafeBufferPointer { wT in
                        try zeros.project(x.start, weights: wT.start, transposed: true, gates: gates, gateWidth: g4)
                    }
                }
            }
            try cache.gates.withUnsafeMutableBufferPointer { gates in
                try cache.hPrev.withUnsafeMutableBufferPointer { hPrev in
                    try cache.cPrev.withUnsafeMutableBufferPointer { cPrev in
                        try cache.tanhC.withUnsafeMutableBufferPointer { tanhC in
                            try h.withUnsafeMutableBufferPointer { h in
                                try c.withUnsafeMutableBufferPointer { c in
                                    try output.withUnsafeMutableBufferPointer { output in
                                        let buffers = ForwardBuffers(
                                            gates: gates.start, hPrev: hPrev.start,
                                            cPrev: cPrev.start, tanhC: tanhC.start, h: h.start,
                                            c: c.start, output: output.start)
                                        try forwardSteps(
                                            slot, direction: direction, weights: w, lengths: lengths, steps: steps,
                                            buffers: buffers)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return cache
    }

    /// The buffers one layer-direction's time loop reads and writes (see `LSTMCache.Direction`).
    private struct ForwardBuffers {
        let gates, hPrev, cPrev, tanhC, h, c, output: UnsafeMutablePointer<Float>
    }

    /// The time loop of `forwardDirection`: per step, the recurrent GEMM into the step's gate rows,
    /// then the elementwise cell of each valid row; padded rows get zero gates and keep their state.
    private func forwardSteps(
        _ slot: LSTMSlot, direction: Int, weights w: UnsafePointer<Float>, lengths: [Int], steps: Int,
        buffers b: ForwardBuffers
    ) throws {
        let hidden = configuration.hiddenSize
        let g4 = 4 * hidden
        // W_hh stored transposed ([H, 4H]) for the step GEMM where oneDNN's `h·W_hhᵀ` of a few rows
        // is slow (AVX-512 kernels: `GEMM.fewRowsPreferStoredTranspose`). The transpose costs about
        // one step's GEMM, so a short call (a decoding step) keeps W_hh as it is.
        guard steps >= 8 && GEMM.fewRowsPreferStoredTranspose else {
            return try forwardTimeLoop(
                slot, direction: direction, weightHH: (w + slot.weightHH, transposed: false), lengths: lengths,
                steps: steps, buffers: b)
        }
        let transposed = RowMajor.transposed(w + slot.weightHH, rows: g4, columns: hidden)
        try transposed.withUnsafeBufferPointer { whhT in
            try forwardTimeLoop(
                slot, direction: direction, weightHH: (whhT.start, transposed: true), lengths: lengths, steps: steps,
                buffers: b)
        }
    }

    /// `forwardSteps`' loop over time; `weightHH` is the layer-direction's W_hh `[4H, H]`, or its
    /// transpose `[H, 4H]`.
    private func forwardTimeLoop(
        _ slot: LSTMSlot, direction: Int, weightHH: (UnsafePointer<Float>, transposed: Bool), lengths: [Int],
        steps: Int, buffers b: ForwardBuffers
    ) throws {
        let (hidden, batch, width) = (configuration.hiddenSize, lengths.count, configuration.outputSize)
        let g4 = 4 * hidden
        for step in 0..<steps {
            let t = direction == 0 ? step : steps - 1 - step
            guard lengths.contains(where: { $0 > t }) else { continue }
            let base = t * batch * hidden
            (b.hPrev + base).update(from: b.h, count: batch * hidden)
            (b.cPrev + base).update(from: b.c, count: batch * hidden)
            try GEMM.sgemm(
                transposeA: false, transposeB: !weightHH.transposed, m: batch, n: g4, k: hidden, alpha: 1,
                a: b.hPrev + base, lda: hidden, b: weightHH.0, ldb: weightHH.transposed ? g4 : hidden, beta: 1,
                c: b.gates + t * batch * g4, ldc: g4)
            ParallelRows.forEach(
                batch, valuesPerRow: g4, minimumWork: ElementwiseKernel.best.forwardMinimumWork()
            ) { rows in
                for n in rows {
                    let row = t * batch + n
                    if t >= lengths[n] {
                        (b.gates + row * g4).update(repeating: 0, count: g4)
                        continue
                    }
                    Self.cellForward(
                        ElementwiseKernel.best, gate: b.gates + row * g4, c: b.c + n * hidden, h: b.h + n * hidden,
                        tanhC: b.tanhC + row * hidden, output: b.output + row * width + direction * hidden,
                        hidden: hidden)
                }
            }
        }
    }

    // MARK: Backward

    /// Gradients of a forward pass: accumulates (`+=`) into `gradients` (same layout as
    /// `parameters`; zero it before the first backward of a step) and returns the gradients of the
    /// input `[T, N, I]` (nil when `inputGradient` is false: the first layer's dx GEMM is skipped)
    /// and of the initial state. `outputGradient` is `[T, N, D·H]` (its padded steps are ignored);
    /// `finalStateGradient` may be nil (zero). `constantZeroInput`: the zero tail and block of the
    /// input (`InputZeros`) are padding to the caller, so their input gradient is left at 0.
    public func backward(
        parameters: [Float], gradients: inout [Float], cache: LSTMCache, outputGradient: Tensor,
        finalStateGradient: LSTMState? = nil, inputGradient: Bool = true, constantZeroInput: Bool = false
    ) throws -> (input: Tensor?, initialState: LSTMState) {
        let (steps, batch, h, d) = (cache.steps, cache.batch, configuration.hiddenSize, configuration.directions)
        precondition(
            outputGradient.shape == [steps, batch, d * h] && gradients.count == parameters.count,
            "LSTM.backward: output gradient \(outputGradient.shape), expected \([steps, batch, d * h])")
        let finalGradient = finalStateGradient ?? LSTMState(zerosFor: configuration, batch: batch)
        var initial = LSTMState(zerosFor: configuration, batch: batch)
        var dOutput = outputGradient.storage
        for layer in (0..<configuration.layers).reversed() {
            let layerCache = cache.layers[layer]
            let wantsInput = layer > 0 || inputGradient
            var dInput = [Float](repeating: 0, count: wantsInput ? layerCache.input.count : 0)
            for direction in 0..<d {
                let index = layer * d + direction
                let range = (index * batch * h)..<((index + 1) * batch * h)
                var dh = Array(finalGradient.h.storage[range])
                var dc = Array(finalGradient.c.storage[range])
                try dInput.withUnsafeMutableBufferPointer { dx in
                    try backwardDirection(
                        slots[layer][direction], direction: direction, parameters: parameters, gradients: &gradients,
                        cache: layerCache.directions[direction], input: layerCache.input, zeros: layerCache.zeros,
                        lengths: cache.lengths, dOutput: dOutput, dh: &dh, dc: &dc,
                        dInput: wantsInput ? dx.baseAddress : nil,
                        dInputZeros: layer == 0 && constantZeroInput
                            ? layerCache.zeros : .none(rows: steps * batch, width: layerCache.zeros.width))
                }
                initial.h.withUnsafeMutableBufferPointer { _ = $0[range].update(fromContentsOf: dh) }
                initial.c.withUnsafeMutableBufferPointer { _ = $0[range].update(fromContentsOf: dc) }
            }
            if let mask = layerCache.dropoutMask {
                for i in dInput.indices { dInput[i] *= mask[i] }
            }
            dOutput = dInput
        }
        let input = inputGradient ? Tensor(shape: [steps, batch, configuration.inputSize], storage: dOutput) : nil
        return (input, initial)
    }

    /// One layer-direction backward through time. `dh`, `dc` enter as the gradient of the final
    /// state and leave as that of the initial state; `dInput`, when given, is accumulated.
    private func backwardDirection(
        _ slot: LSTMSlot, direction: Int, parameters: [Float], gradients: inout [Float], cache: LSTMCache.Direction,
        input: [Float], zeros: InputZeros, lengths: [Int], dOutput: [Float], dh: inout [Float], dc: inout [Float],
        dInput: UnsafeMutablePointer<Float>?, dInputZeros: InputZeros
    ) throws {
        let (hidden, batch) = (configuration.hiddenSize, lengths.count)
        let g4 = 4 * hidden
        let steps = batch == 0 ? 0 : cache.hPrev.count / (batch * hidden)
        guard steps > 0 && batch > 0 else { return }
        var dGates = [Float](repeating: 0, count: steps * batch * g4)
        try parameters.withUnsafeBufferPointer { w in
            let w = w.start
            try dGates.withUnsafeMutableBufferPointer { dGates in
                let dG = dGates.start
                try backwardSteps(
                    slot, direction: direction, weights: w, cache: cache, lengths: lengths, dOutput: dOutput,
                    dGates: dG, dh: &dh, dc: &dc)
                let rows = steps * batch
                try gradients.withUnsafeMutableBufferPointer { grad in
                    let grad = grad.start
                    // dW_ih += dGatesᵀ·x and dW_hh += dGatesᵀ·h_{t-1}, each one GEMM over all T·N rows.
                    // The input's zeros add nothing to dW_ih.
                    try input.withUnsafeBufferPointer { x in
                        try zeros.accumulateWeightGradient(
                            dG, gateWidth: g4, input: x.start, into: grad + slot.weightIH)
                    }
                    try cache.hPrev.withUnsafeBufferPointer { hPrev in
                        try GEMM.sgemm(
                            transposeA: true, transposeB: false, m: g4, n: hidden, k: rows, alpha: 1, a: dG, lda: g4,
                            b: hPrev.start, ldb: hidden, beta: 1, c: grad + slot.weightHH, ldc: hidden)
                    }
                    RowMajor.addColumnSums(of: dG, rows: rows, columns: g4, to: grad + slot.biasIH, grad + slot.biasHH)
                }
                if let dInput {
                    try dInputZeros.accumulateInputGradient(
                        dG, gateWidth: g4, weights: w + slot.weightIH, into: dInput)
                }
            }
        }
    }

    /// The time loop of `backwardDirection`: per step, the cell backward of each valid row into
    /// the step's rows of `dGates`, then dh_{t-1} = dgates_t·W_hh (padded rows have zero gate
    /// gradients, so they add 0 and keep their dh).
    private func backwardSteps(
        _ slot: LSTMSlot, direction: Int, weights w: UnsafePointer<Float>, cache: LSTMCache.Direction,
        lengths: [Int], dOutput: [Float], dGates: UnsafeMutablePointer<Float>, dh: inout [Float], dc: inout [Float]
    ) throws {
        let (hidden, batch, width) = (configuration.hiddenSize, lengths.count, configuration.outputSize)
        let (g4, steps) = (4 * hidden, cache.hPrev.count / (batch * hidden))
        try cache.gates.withUnsafeBufferPointer { gates in
            try cache.cPrev.withUnsafeBufferPointer { cPrev in
                try cache.tanhC.withUnsafeBufferPointer { tanhC in
                    try dOutput.withUnsafeBufferPointer { dOut in
                        try dh.withUnsafeMutableBufferPointer { dh in
                            try dc.withUnsafeMutableBufferPointer { dc in
                                let (gates, cPrev, tanhC, dOut) = (
                                    gates.start, cPrev.start, tanhC.start, dOut.start
                                )
                                let (dh, dc) = (dh.start, dc.start)
                                for step in (0..<steps).reversed() {
                                    let t = direction == 0 ? step : steps - 1 - step
                                    guard lengths.contains(where: { $0 > t }) else { continue }
                                    ParallelRows.forEach(
                                        batch, valuesPerRow: g4,
                                        minimumWork: ElementwiseKernel.best.backwardMinimumWork()
                                    ) { rows in
                                        for n in rows where t < lengths[n] {
                                            let row = t * batch + n
                                            Self.cellBackward(
                                                ElementwiseKernel.best, gate: gates + row * g4,
                                                cPrev: cPrev + row * hidden,
                                                tanhC: tanhC + row * hidden,
                                                dOutput: dOut + row * width + direction * hidden,
                                                dGate: dGates + row * g4, dh: dh + n * hidden, dc: dc + n * hidden,
                                                hidden: hidden)
                                        }
                                    }
                                    try GEMM.sgemm(
                                        transposeA: false, transposeB: false, m: batch, n: hidden, k: g4, alpha: 1,
                                        a: dGates + t * batch * g4, lda: g4, b: w + slot.weightHH, ldb: hidden,
                                        beta: 1, c: dh, ldc: hidden)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
