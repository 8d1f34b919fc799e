// The elementwise part of one LSTM step for one sequence (one row of the batch), forward and
// backward side by side, on raw pointers and eight lanes at a time (`VectorMath`); the GEMMs
// around them are in `LSTM.swift`. Shapes as there: H hidden, gate order i, f, g, o; a gate row is
// `[4H]`, a state row `[H]`.
//   forward:  i, f, o = σ(·), g = tanh(·);  c_t = f ⊙ c_{t-1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)
//   backward: dh = dh_t + dout_t;  dc = dc_t + dh ⊙ o ⊙ (1 − tanh²c_t)
//             di = dc ⊙ g ⊙ i(1 − i), df = dc ⊙ c_{t-1} ⊙ f(1 − f), dg = dc ⊙ i ⊙ (1 − g²),
//             do = dh ⊙ tanh c_t ⊙ o(1 − o);  dc_{t-1} = dc ⊙ f
// The naive twin is `NaiveLSTM` (Double, scalar libm); tests compare whole LSTMs against it.
// Where the CPU has AVX2 and FMA, the rows run in `CKernels` (the same polynomials, 8 lanes per
// instruction with fused multiply-adds: 60 against 216 µs for a 32 x 512 step here; Swift builds for
// baseline x86-64); these Swift loops stay the portable path and the kernels' test reference.

import CKernels

extension ElementwiseKernel {
    /// Gate values (rows · 4H) of one step from which its forward cells are split over the cores:
    /// about 120 µs of work on one core. Measured in the caption benchmark's step (32 rows of
    /// 2048): AVX2 forward 60 µs a step on one core, 110 µs split in two (the hand-off costs more
    /// than it saves); the portable forward 220 µs on one core, 170 µs split.
    func forwardMinimumWork() -> Int { self == .avx2 ? 1 << 17 : 1 << 14 }

    /// As `forwardMinimumWork` for the backward cells (no transcendentals: AVX2 55 µs, portable
    /// 70 µs a step on one core, both slower split in two).
    func backwardMinimumWork() -> Int { 1 << 17 }
}

extension LSTM {
    typealias Vector = VectorMath.Vector

    /// One row of the forward cell (`cellForward`) on `kernel`.
    @inline(__always)
    static func cellForward(
        _ kernel: ElementwiseKernel, gate: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
        h: UnsafeMutablePointer<Float>, tanhC: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
        hidden: Int
    ) {
        guard kernel == .avx2 else {
            return cellForward(gate: gate, c: c, h: h, tanhC: tanhC, output: output, hidden: hidden)
        }
        vidact_lstm_cell_forward_avx2(gate, c, h, tanhC, output, hidden)
    }

    /// One row of the backward cell (`cellBackward`) on `kernel`.
    @inline(__always)
    static func cellBackward(
        _ kernel: ElementwiseKernel, gate: UnsafePointer<Float>, cPrev: UnsafePointer<Float>,
        tanhC: UnsafePointer<Float>, dOutput: UnsafePointer<Float>, dGate: UnsafeMutablePointer<Float>,
        dh: UnsafeMutablePointer<Float>, dc: UnsafeMutablePointer<Float>, hidden: Int
    ) {
        guard kernel == .avx2 else {
            return cellBackward(
                gate: gate, cPrev: cPrev, tanhC: tanhC, dOutput: dOutput, dGate: dGate, dh: dh, dc: dc, hidden: hidden)
        }
        vidact_lstm_cell_backward_avx2(gate, cPrev, tanhC, dOutput, dGate, dh, dc, hidden)
    }

    /// Activates `gate` (pre-activations in, i, f, g, o out) in place, turns `c` from c_{t-1} into
    /// c_t, and writes h_t to `h` and `output`, tanh c_t to `tanhC`.
    @inline(__always)
    static func cellForward(
        gate: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>,
        tanhC: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, hidden: Int
    ) {
        var j = 0
        while j < hidden {
            let lanes = min(Vector.scalarCount, hidden - j)
            let i = VectorMath.sigmoid(VectorMath.load(gate + j, lanes))
            let f = VectorMath.sigmoid(VectorMath.load(gate + hidden + j, lanes))
            let g = VectorMath.tanh(VectorMath.load(gate + 2 * hidden + j, lanes))
            let o = VectorMath.sigmoid(VectorMath.load(gate + 3 * hidden + j, lanes))
            VectorMath.store(i, gate + j, lanes)
            VectorMath.store(f, gate + hidden + j, lanes)
            VectorMath.store(g, gate + 2 * hidden + j, lanes)
            VectorMath.store(o, gate + 3 * hidden + j, lanes)
            let cell = f * VectorMath.load(c + j, lanes) + i * g
            let tc = VectorMath.tanh(cell)
            VectorMath.store(cell, c + j, lanes)
            VectorMath.store(tc, tanhC + j, lanes)
            VectorMath.store(o * tc, h + j, lanes)
            VectorMath.store(o * tc, output + j, lanes)
            j += lanes
        }
    }

    /// Writes the pre-activation gate gradients of one row to `dGate` from the activations `gate`,
    /// `cPrev` and `tanhC`; turns `dc` into dc_{t-1} and zeroes `dh` (the caller's GEMM adds
    /// dgates·W_hh to it). `dOutput` is the row's output gradient.
    @inline(__always)
    static func cellBackward(
        gate: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
        dOutput: UnsafePointer<Float>, dGate: UnsafeMutablePointer<Float>, dh: UnsafeMutablePointer<Float>,
        dc: UnsafeMutablePointer<Float>, hidden: Int
    ) {
        var j = 0
        while j < hidden {
            let lanes = min(Vector.scalarCount, hidden - j)
            let i = VectorMath.load(gate + j, lanes)
            let f = VectorMath.load(gate + hidden + j, lanes)
            let g = VectorMath.load(gate + 2 * hidden + j, lanes)
            let o = VectorMath.load(gate + 3 * hidden + j, lanes)
            let tc = VectorMath.load(tanhC + j, lanes)
            let dhv = VectorMath.load(dh + j, lanes) + VectorMath.load(dOutput + j, lanes)
            let dcv = VectorMath.load(dc + j, lanes) + dhv * o * (1 - tc * tc)
            VectorMath.store(dcv * g * i * (1 - i), dGate + j, lanes)
            VectorMath.store(dcv * VectorMath.load(cPrev + j, lanes) * f * (1 - f), dGate + hidden + j, lanes)
            VectorMath.store(dcv * i * (1 - g * g), dGate + 2 * hidden + j, lanes)
            VectorMath.store(dhv * tc * o * (1 - o), dGate + 3 * hidden + j, lanes)
            VectorMath.store(dcv * f, dc + j, lanes)
            VectorMath.store(Vector(), dh + j, lanes)
            j += lanes
        }
    }
}
