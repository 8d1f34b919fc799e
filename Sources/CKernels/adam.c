// The AVX2 twin of `AdamOptimizer.update`'s loop (Sources/SequenceModels/AdamOptimizer.swift):
// the same operations in the same order, without fused multiply-adds, so the parameters and
// moments are bit-identical to the Swift path (a checkpoint resumes the same on either). The Swift
// loop builds for baseline x86-64, where its square roots and divisions run 4 lanes at a time.
#include "CKernels.h"

#pragma clang fp contract(off)

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include <math.h>

/// One value: the scalar form of the vector body below (the last few values of a range).
static inline void adam_one(
    float *p, const float *g, float *m, float *v, int adamw, float shrink, float decay, float b1, float b2,
    float step_size, float root2, float eps) {
    float gi = *g, pi = *p;
    if (adamw) {
        pi = pi * shrink;
    } else if (decay != 0) {
        gi = gi + decay * pi;
    }
    float mi = b1 * *m + (1 - b1) * gi;
    float vi = b2 * *v + (1 - b2) * gi * gi;
    pi = pi - step_size * mi / (sqrtf(vi) / root2 + eps);
    *p = pi;
    *m = mi;
    *v = vi;
}

__attribute__((target("avx2"))) void vidact_adam_update_avx2(
    float *p, const float *g, float *m, float *v, ptrdiff_t count, int adamw, float shrink, float decay, float b1,
    float b2, float step_size, float root2, float eps) {
    const __m256 vshrink = _mm256_set1_ps(shrink), vdecay = _mm256_set1_ps(decay);
    const __m256 vb1 = _mm256_set1_ps(b1), vb1c = _mm256_set1_ps(1 - b1);
    const __m256 vb2 = _mm256_set1_ps(b2), vb2c = _mm256_set1_ps(1 - b2);
    const __m256 vstep = _mm256_set1_ps(step_size), vroot2 = _mm256_set1_ps(root2), veps = _mm256_set1_ps(eps);
    ptrdiff_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 gi = _mm256_loadu_ps(g + i), pi = _mm256_loadu_ps(p + i);
        if (adamw) {
            pi = _mm256_mul_ps(pi, vshrink);
        } else if (decay != 0) {
            gi = _mm256_add_ps(gi, _mm256_mul_ps(vdecay, pi));
        }
        __m256 mi = _mm256_add_ps(_mm256_mul_ps(vb1, _mm256_loadu_ps(m + i)), _mm256_mul_ps(vb1c, gi));
        __m256 vi = _mm256_add_ps(
            _mm256_mul_ps(vb2, _mm256_loadu_ps(v + i)), _mm256_mul_ps(_mm256_mul_ps(vb2c, gi), gi));
        __m256 denominator = _mm256_add_ps(_mm256_div_ps(_mm256_sqrt_ps(vi), vroot2), veps);
        pi = _mm256_sub_ps(pi, _mm256_div_ps(_mm256_mul_ps(vstep, mi), denominator));
        _mm256_storeu_ps(p + i, pi);
        _mm256_storeu_ps(m + i, mi);
        _mm256_storeu_ps(v + i, vi);
    }
    for (; i < count; i++) adam_one(p + i, g + i, m + i, v + i, adamw, shrink, decay, b1, b2, step_size, root2, eps);
}

#else

void vidact_adam_update_avx2(
    float *p, const float *g, float *m, float *v, ptrdiff_t count, int adamw, float shrink, float decay, float b1,
    float b2, float step_size, float root2, float eps) {
    __builtin_trap();
}

#endif
