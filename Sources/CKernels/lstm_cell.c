// The AVX2 + FMA twins of `LSTM.cellForward` / `LSTM.cellBackward` (Sources/SequenceModels/
// LSTM+Cell.swift), on `vector_math.h`'s exp, sigmoid and tanh: eight lanes per instruction with
// fused multiply-adds (so results differ from the Swift path by a few float ulps, not more). Equations and gate order in `include/CKernels.h`.
#include "CKernels.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#include <immintrin.h>

#include "vector_math.h"

int vidact_kernels_have_avx2_fma(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!(fma && osxsave && avx)) return 0;
    // XCR0 bits 1 and 2: the OS saves SSE and AVX state on context switches.
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b >> 5) & 1;  // AVX2
}

/// The first `lanes` (1…8) lanes of a mask for partial loads and stores.
AVX2 static inline __m256i tail_mask(ptrdiff_t lanes) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)lanes), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// Loads and stores of 8 lanes, or of the first few under `m` in a row's last partial vector. Plain
// moves where the vector is whole: masked stores (VMASKMOVPS) are microcoded and slow on AMD CPUs.
#define LOAD(p, m, full) ((full) ? _mm256_loadu_ps(p) : _mm256_maskload_ps((p), (m)))
#define STORE(p, m, full, v) ((full) ? _mm256_storeu_ps((p), (v)) : _mm256_maskstore_ps((p), (m), (v)))

AVX2 void vidact_lstm_cell_forward_avx2(
    float *gate, float *c, float *h, float *tanh_c, float *output, ptrdiff_t hidden) {
    for (ptrdiff_t j = 0; j < hidden; j += 8) {
        int full = hidden - j >= 8;
        __m256i m = tail_mask(hidden - j);
        __m256 i = sigmoid8(LOAD(gate + j, m, full));
        __m256 f = sigmoid8(LOAD(gate + hidden + j, m, full));
        __m256 g = tanh8(LOAD(gate + 2 * hidden + j, m, full));
        __m256 o = sigmoid8(LOAD(gate + 3 * hidden + j, m, full));
        STORE(gate + j, m, full, i);
        STORE(gate + hidden + j, m, full, f);
        STORE(gate + 2 * hidden + j, m, full, g);
        STORE(gate + 3 * hidden + j, m, full, o);
        __m256 cell = _mm256_fmadd_ps(f, LOAD(c + j, m, full), _mm256_mul_ps(i, g));
        __m256 tc = tanh8(cell);
        __m256 hv = _mm256_mul_ps(o, tc);
        STORE(c + j, m, full, cell);
        STORE(tanh_c + j, m, full, tc);
        STORE(h + j, m, full, hv);
        STORE(output + j, m, full, hv);
    }
}

AVX2 void vidact_lstm_cell_backward_avx2(
    const float *gate, const float *c_prev, const float *tanh_c, const float *d_output, float *d_gate,
    float *dh, float *dc, ptrdiff_t hidden) {
    __m256 one = _mm256_set1_ps(1.0f);
    for (ptrdiff_t j = 0; j < hidden; j += 8) {
        int full = hidden - j >= 8;
        __m256i m = tail_mask(hidden - j);
        __m256 i = LOAD(gate + j, m, full);
        __m256 f = LOAD(gate + hidden + j, m, full);
        __m256 g = LOAD(gate + 2 * hidden + j, m, full);
        __m256 o = LOAD(gate + 3 * hidden + j, m, full);
        __m256 tc = LOAD(tanh_c + j, m, full);
        __m256 dhv = _mm256_add_ps(LOAD(dh + j, m, full), LOAD(d_output + j, m, full));
        __m256 dcv = _mm256_fmadd_ps(
            _mm256_mul_ps(dhv, o), _mm256_fnmadd_ps(tc, tc, one), LOAD(dc + j, m, full));
        __m256 di = _mm256_mul_ps(_mm256_mul_ps(dcv, g), _mm256_mul_ps(i, _mm256_sub_ps(one, i)));
        __m256 df = _mm256_mul_ps(
            _mm256_mul_ps(dcv, LOAD(c_prev + j, m, full)), _mm256_mul_ps(f, _mm256_sub_ps(one, f)));
        __m256 dg = _mm256_mul_ps(_mm256_mul_ps(dcv, i), _mm256_fnmadd_ps(g, g, one));
        __m256 dov = _mm256_mul_ps(_mm256_mul_ps(dhv, tc), _mm256_mul_ps(o, _mm256_sub_ps(one, o)));
        STORE(d_gate + j, m, full, di);
        STORE(d_gate + hidden + j, m, full, df);
        STORE(d_gate + 2 * hidden + j, m, full, dg);
        STORE(d_gate + 3 * hidden + j, m, full, dov);
        STORE(dc + j, m, full, _mm256_mul_ps(dcv, f));
        STORE(dh + j, m, full, _mm256_setzero_ps());
    }
}

#else

int vidact_kernels_have_avx2_fma(void) { return 0; }

void vidact_lstm_cell_forward_avx2(float *gate, float *c, float *h, float *tanh_c, float *output, ptrdiff_t hidden) {
    __builtin_trap();
}

void vidact_lstm_cell_backward_avx2(
    const float *gate, const float *c_prev, const float *tanh_c, const float *d_output, float *d_gate,
    float *dh, float *dc, ptrdiff_t hidden) {
    __builtin_trap();
}

#endif
