// The AVX2 + FMA twin of `SoftmaxCrossEntropy.softmaxRow` (Sources/SequenceModels/
// SoftmaxCrossEntropy.swift): one row's maximum, e^(x − max) on `vector_math.h`'s exp with the sum
// in double (eight lanes added in float, then to the double sum, as the Swift loop does; the order
// of the eight differs, so the sum may differ in its last float bits), then the scaling. A row of
// the caption benchmark's 5000 logits takes about 3 µs.
#include "CKernels.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include <math.h>

#include "vector_math.h"

/// The sum of the eight lanes of v.
AVX2 static inline float lane_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

AVX2 double vidact_softmax_row_avx2(float *x, ptrdiff_t count, double factor, float *max_out) {
    const ptrdiff_t whole = count - count % 8;
    float top = x[0];
    if (whole > 0) {
        __m256 lanes = _mm256_set1_ps(-INFINITY);
        // max(v, lanes) keeps lanes where v is NaN, as the Swift loop's `v .> lanes` select does.
        for (ptrdiff_t i = 0; i < whole; i += 8) lanes = _mm256_max_ps(_mm256_loadu_ps(x + i), lanes);
        __m128 m = _mm_max_ps(_mm256_castps256_ps128(lanes), _mm256_extractf128_ps(lanes, 1));
        m = _mm_max_ps(m, _mm_movehl_ps(m, m));
        m = _mm_max_ss(m, _mm_movehdup_ps(m));
        top = _mm_cvtss_f32(m);
    }
    for (ptrdiff_t j = whole; j < count; j++)
        if (x[j] > top) top = x[j];
    double sum = 0;
    const __m256 vtop = _mm256_set1_ps(top);
    for (ptrdiff_t i = 0; i < whole; i += 8) {
        __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i), vtop));
        _mm256_storeu_ps(x + i, e);
        sum += (double)lane_sum(e);
    }
    for (ptrdiff_t j = whole; j < count; j++) {
        x[j] = expf(x[j] - top);
        sum += (double)x[j];
    }
    const __m256 inverse = _mm256_set1_ps((float)(factor / sum));
    ptrdiff_t i = 0;
    for (; i < whole; i += 8) _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), inverse));
    const float inv = (float)(factor / sum);
    for (; i < count; i++) x[i] *= inv;
    *max_out = top;
    return log(sum);
}

#else

double vidact_softmax_row_avx2(float *x, ptrdiff_t count, double factor, float *max_out) { __builtin_trap(); }

#endif
