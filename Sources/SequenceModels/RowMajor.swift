// Two operations on row-major `[rows, columns]` Float matrices that the LSTM and the linear layer
// need on their hot paths: a cache-friendly transpose (the LSTM's W_hh for its step GEMMs) and
// column sums (the bias gradients), each walking the matrix row by row; both have an AVX2 twin in
// `CKernels` (`ElementwiseKernel`).

import CKernels

enum RowMajor {
    /// Writes the transpose of the row-major `[rows, columns]` matrix `m` to `out` (`[columns, rows]`)
    /// in 8x8 blocks held in eight SIMD registers, so that each read and write is a whole 32-byte
    /// row of a block: 0.5 ms for a 2048x512 W_hh, against 6 ms for the plain column-by-column loop
    /// whose every write lands on another cache line. Sizes that are not multiples of 8 (small test
    /// models) take the plain loop.
    /// `kernel` `.avx2` runs `CKernels`' twin (register shuffles instead of lane-by-lane gathers;
    /// the same values).
    static func transpose(
        _ m: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>,
        kernel: ElementwiseKernel = .best
    ) {
        guard rows % 8 == 0 && columns % 8 == 0 else {
            for r in 0..<rows {
                for c in 0..<columns { out[c * rows + r] = m[r * columns + c] }
            }
            return
        }
        if kernel == .avx2 { return vidact_transpose_avx2(m, rows, columns, out) }
        typealias Lanes = SIMD8<Float>
        for r0 in stride(from: 0, to: rows, by: 8) {
            for c0 in stride(from: 0, to: columns, by: 8) {
                let block = m + r0 * columns + c0
                func row(_ i: Int) -> Lanes { UnsafeRawPointer(block + i * columns).loadUnaligned(as: Lanes.self) }
                let (v0, v1, v2, v3, v4, v5, v6, v7) = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
                for j in 0..<8 {
                    let column = Lanes(v0[j], v1[j], v2[j], v3[j], v4[j], v5[j], v6[j], v7[j])
                    UnsafeMutableRawPointer(out + (c0 + j) * rows + r0).storeBytes(of: column, as: Lanes.self)
                }
            }
        }
    }

    /// The transpose of `m` as a new array (`transpose` into uninitialised storage, which it fills).
    static func transposed(_ m: UnsafePointer<Float>, rows: Int, columns: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: rows * columns) { out, count in
            if rows * columns > 0 { transpose(m, rows: rows, columns: columns, into: out.start) }
            count = rows * columns
        }
    }

    /// Adds the column sums of `m` to every buffer of `destinations` (each `columns` long), walking
    /// `m` row by row (a column-by-column walk misses the cache on every value); each column still
    /// adds its rows in order (`kernel` `.avx2`: `CKernels`' twin, 8 columns per instruction, the
    /// same bits).
    static func addColumnSums(
        of m: UnsafePointer<Float>, rows: Int, columns: Int, kernel: ElementwiseKernel = .best,
        to destinations: UnsafeMutablePointer<Float>...
    ) {
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: columns)
        defer { sums.deallocate() }
        sums.initialize(repeating: 0, count: columns)
        if kernel == .avx2 {
            vidact_column_sums_avx2(m, rows, columns, sums)
        } else {
            for row in 0..<rows {
                let r = m + row * columns
                for j in 0..<columns { sums[j] += r[j] }
            }
        }
        for destination in destinations {
            for j in 0..<columns { destination[j] += sums[j] }
        }
    }
}
