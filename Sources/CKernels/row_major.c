// The AVX2 twins of `RowMajor.transpose` and `RowMajor.addColumnSums` (Sources/SequenceModels/
// RowMajor.swift): a transpose in 8x8 blocks held in eight YMM registers (unpack, shuffle and
// 128-bit permutes instead of the Swift path's lane-by-lane gathers), and column sums 8 columns per
// instruction, each column still adding its rows in order (bit-identical to the Swift loop).
#include "CKernels.h"

#pragma clang fp contract(off)

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

__attribute__((target("avx2"))) void vidact_transpose_avx2(
    const float *m, ptrdiff_t rows, ptrdiff_t columns, float *out) {
    for (ptrdiff_t r0 = 0; r0 < rows; r0 += 8) {
        for (ptrdiff_t c0 = 0; c0 < columns; c0 += 8) {
            const float *b = m + r0 * columns + c0;
            __m256 r[8], t[8];
            for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(b + i * columns);
            // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
            for (int i = 0; i < 8; i += 2) {
                t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
                t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
            }
            for (int i = 0; i < 8; i += 4) {
                r[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
                r[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
                r[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
                r[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
            }
            // r[0..3] hold columns 0, 1, 2, 3 (low half) and 4, 5, 6, 7 (high half) of rows 0-3;
            // r[4..7] the same for rows 4-7.
            float *o = out + c0 * rows + r0;
            for (int j = 0; j < 4; j++) {
                _mm256_storeu_ps(o + j * rows, _mm256_permute2f128_ps(r[j], r[j + 4], 0x20));
                _mm256_storeu_ps(o + (j + 4) * rows, _mm256_permute2f128_ps(r[j], r[j + 4], 0x31));
            }
        }
    }
}

__attribute__((target("avx2"))) void vidact_column_sums_avx2(
    const float *m, ptrdiff_t rows, ptrdiff_t columns, float *sums) {
    ptrdiff_t j = 0;
    // Blocks of 32 columns in four registers across all rows, then 8, then one at a time.
    for (; j + 32 <= columns; j += 32) {
        __m256 s0 = _mm256_loadu_ps(sums + j), s1 = _mm256_loadu_ps(sums + j + 8);
        __m256 s2 = _mm256_loadu_ps(sums + j + 16), s3 = _mm256_loadu_ps(sums + j + 24);
        for (ptrdiff_t r = 0; r < rows; r++) {
            const float *row = m + r * columns + j;
            s0 = _mm256_add_ps(s0, _mm256_loadu_ps(row));
            s1 = _mm256_add_ps(s1, _mm256_loadu_ps(row + 8));
            s2 = _mm256_add_ps(s2, _mm256_loadu_ps(row + 16));
            s3 = _mm256_add_ps(s3, _mm256_loadu_ps(row + 24));
        }
        _mm256_storeu_ps(sums + j, s0);
        _mm256_storeu_ps(sums + j + 8, s1);
        _mm256_storeu_ps(sums + j + 16, s2);
        _mm256_storeu_ps(sums + j + 24, s3);
    }
    for (; j + 8 <= columns; j += 8) {
        __m256 s = _mm256_loadu_ps(sums + j);
        for (ptrdiff_t r = 0; r < rows; r++) s = _mm256_add_ps(s, _mm256_loadu_ps(m + r * columns + j));
        _mm256_storeu_ps(sums + j, s);
    }
    for (; j < columns; j++) {
        float s = sums[j];
        for (ptrdiff_t r = 0; r < rows; r++) s += m[r * columns + j];
        sums[j] = s;
    }
}

#else

void vidact_transpose_avx2(const float *m, ptrdiff_t rows, ptrdiff_t columns, float *out) { __builtin_trap(); }

void vidact_column_sums_avx2(const float *m, ptrdiff_t rows, ptrdiff_t columns, float *sums) {
    __builtin_trap();
}

#endif
