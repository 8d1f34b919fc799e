// Elementwise kernels compiled for AVX2 + FMA, chosen at run time: Swift code builds for baseline
// x86-64 (SSE2), so its SIMD8 loops run as pairs of 4-wide SSE instructions without FMA. Each kernel
// here is the twin of a Swift loop that stays the portable path (and the reference the tests
// compare with); callers use a kernel only when `vidact_kernels_have_avx2_fma()` says the CPU and
// the OS support it.
//
// Adam, a transpose and column sums: below. LSTM cell, one row of a time-major batch: H hidden, gate order i, f, g, o (a gate row is `[4H]`,
// a state row `[H]`), exactly as `LSTM+Cell.swift`:
//   forward:  i, f, o = σ(·), g = tanh(·);  c_t = f ⊙ c_{t-1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)
//   backward: dh = dh_t + dout_t;  dc = dc_t + dh ⊙ o ⊙ (1 − tanh²c_t)
//             di = dc ⊙ g ⊙ i(1 − i), df = dc ⊙ c_{t-1} ⊙ f(1 − f), dg = dc ⊙ i ⊙ (1 − g²),
//             do = dh ⊙ tanh c_t ⊙ o(1 − o);  dc_{t-1} = dc ⊙ f
#ifndef VIDACT_CKERNELS_H
#define VIDACT_CKERNELS_H

#include <stddef.h>

/// 1 when the CPU has AVX2 and FMA and the OS saves the YMM registers; 0 otherwise (and on
/// non-x86 builds, where the kernels below must not be called).
int vidact_kernels_have_avx2_fma(void);

/// `LSTM.cellForward`: activates `gate` in place (pre-activations in, i, f, g, o out), turns `c`
/// from c_{t-1} into c_t, writes h_t to `h` and `output` and tanh c_t to `tanh_c`.
void vidact_lstm_cell_forward_avx2(
    float *gate, float *c, float *h, float *tanh_c, float *output, ptrdiff_t hidden);

/// `LSTM.cellBackward`: writes the pre-activation gate gradients to `d_gate`, turns `dc` into
/// dc_{t-1} and zeroes `dh`.
void vidact_lstm_cell_backward_avx2(
    const float *gate, const float *c_prev, const float *tanh_c, const float *d_output, float *d_gate,
    float *dh, float *dc, ptrdiff_t hidden);

/// `AdamOptimizer.update` over `count` values (Adam when `adamw` is 0, AdamW otherwise), the
/// same operations in the same order as the Swift loop: bit-identical results.
///   AdamW: p ← p·shrink;  Adam: g ← g + decay·p
///   m ← b1·m + (1 − b1)·g,  v ← b2·v + (1 − b2)·g·g,  p ← p − step_size·m / (√v / root2 + eps)
void vidact_adam_update_avx2(
    float *p, const float *g, float *m, float *v, ptrdiff_t count, int adamw, float shrink, float decay, float b1,
    float b2, float step_size, float root2, float eps);

/// `RowMajor.transpose` for `rows` and `columns` both multiples of 8: writes the transpose of the
/// row-major `[rows, columns]` matrix `m` to `out` (`[columns, rows]`).
void vidact_transpose_avx2(const float *m, ptrdiff_t rows, ptrdiff_t columns, float *out);

/// Adds the column sums of the row-major `[rows, columns]` matrix `m` to `sums`, each column
/// adding its rows in order (as `RowMajor.addColumnSums`: bit-identical).
void vidact_column_sums_avx2(const float *m, ptrdiff_t rows, ptrdiff_t columns, float *sums);

/// `SoftmaxCrossEntropy.softmaxRow`: replaces the `count` ≥ 1 values at `x` by `factor` times
/// their softmax, writes their maximum to `max_out` and returns log Σ e^(x − max).
double vidact_softmax_row_avx2(float *x, ptrdiff_t count, double factor, float *max_out);

#endif
