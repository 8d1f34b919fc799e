// Zero regions of an LSTM layer's input `[R, I]` (R = T·N time-major rows) that its three input
// GEMMs skip. S2VT feeds its layers padding of two shapes:
//   - a zero tail: the encoder reads no frame while the words are emitted (rows from `rows` on);
//   - a zero block in the leading rows: the decoder reads a zero word embedding while the frames
//     are read (rows before `leadingRows`, columns from `column` on).
// Zeros add nothing to x·W_ihᵀ or to dW_ih += dGatesᵀ·x, so skipping them there is exact for any
// input. The input gradient of a zero is not zero; the caller says whether it wants it
// (`LSTM.backward(constantZeroInput:)`). In the benchmark's S2VT step (T 16, 20 words + <eos>)
// the block is 43 % of the decoder's embedding columns and the tail 57 % of the encoder's rows.

import DNNL

/// The non-zero part of a layer input: rows `0..<rows`, less the block `0..<leadingRows` ×
/// `column..<width`.
struct InputZeros: Sendable, Equatable {
    let width: Int
    /// Rows before the all-zero tail.
    let rows: Int
    /// Leading rows whose columns from `column` on are all zero (0: no block).
    let leadingRows: Int
    let column: Int

    /// A block smaller than this share of the rows before the tail is not split off: the two GEMMs
    /// it takes cost more than the zeros they skip.
    static let minimumBlockShare = 0.125

    init(width: Int, rows: Int, leadingRows: Int, column: Int) {
        (self.width, self.rows, self.leadingRows, self.column) = (width, rows, leadingRows, column)
    }

    /// Nothing skipped in `[rows, width]` (where the input gradient is wanted everywhere).
    static func none(rows: Int, width: Int) -> InputZeros {
        InputZeros(width: width, rows: rows, leadingRows: 0, column: width)
    }

    /// Scans `x` (`[rows, width]`, row-major).
    init(scanning x: UnsafePointer<Float>, rows: Int, width: Int) {
        var tail = rows
        while tail > 0 && Self.columnsBeforeZeroTail(x + (tail - 1) * width, width: width) == 0 { tail -= 1 }
        // The leading block with the most zeros: for each prefix of rows, the widest column range
        // at the end that is zero in all of them.
        var (best, bestRows, bestColumn) = (0, 0, width)
        var used = 0
        for r in 0..<tail {
            used = max(used, Self.columnsBeforeZeroTail(x + r * width, width: width))
            if used == width { break }
            let zeros = (r + 1) * (width - used)
            if zeros > best { (best, bestRows, bestColumn) = (zeros, r + 1, used) }
        }
        let worthSplitting = Double(best) >= Self.minimumBlockShare * Double(tail * width)
        self.init(
            width: width, rows: tail, leadingRows: worthSplitting ? bestRows : 0,
            column: worthSplitting ? bestColumn : width)
    }

    /// The number of values of the row at `x` up to its last non-zero one.
    static func columnsBeforeZeroTail(_ x: UnsafePointer<Float>, width: Int) -> Int {
        var j = width
        while j > 0 && x[j - 1] == 0 { j -= 1 }
        return j
    }

    /// The row ranges and column counts of the parts the GEMMs cover: the block's rows with their
    /// first `column` columns, then the remaining rows before the tail with all columns.
    private var parts: [(rows: Range<Int>, columns: Int)] {
        [(0..<leadingRows, column), (leadingRows..<rows, width)].filter { !$0.rows.isEmpty && $0.columns > 0 }
    }

    /// gates `[R, G]` += x · wᵀ over the non-zero part; `w` is `[G, width]`, or its transpose
    /// `[width, G]` when `transposed` (the first `column` rows of which are the block's weights).
    func project(
        _ x: UnsafePointer<Float>, weights w: UnsafePointer<Float>, transposed: Bool = false,
        gates: UnsafeMutablePointer<Float>, gateWidth g: Int
    ) throws {
        for (range, columns) in parts {
            try GEMM.sgemm(
                transposeA: false, transposeB: !transposed, m: range.count, n: g, k: columns, alpha: 1,
                a: x + range.lowerBound * width, lda: width, b: w, ldb: transposed ? g : width, beta: 1,
                c: gates + range.lowerBound * g, ldc: g)
        }
    }

    /// Rows of input from which `LSTM` projects it through a transposed copy of W_ih where
    /// `GEMM.manyRowsPreferStoredTranspose`: the copy ([2048, 1024] in the benchmark's decoder) takes
    /// about a tenth of the time the product then saves.
    static let rowsForStoredTranspose = 256

    /// Whether the input projection of these rows pays for a transposed copy of W_ih.
    var prefersTransposedWeights: Bool {
        GEMM.manyRowsPreferStoredTranspose && rows >= Self.rowsForStoredTranspose
    }

    /// dW `[G, width]` += dGatesᵀ · x over the non-zero part.
    func accumulateWeightGradient(
        _ dGates: UnsafePointer<Float>, gateWidth g: Int, input x: UnsafePointer<Float>,
        into dW: UnsafeMutablePointer<Float>
    ) throws {
        for (range, columns) in parts {
            try GEMM.sgemm(
                transposeA: true, transposeB: false, m: g, n: columns, k: range.count, alpha: 1,
                a: dGates + range.lowerBound * g, lda: g, b: x + range.lowerBound * width, ldb: width, beta: 1, c: dW,
                ldc: width)
        }
    }

    /// dx `[R, width]` += dGates · w over the non-zero part only (the zeros' gradient stays as it
    /// was; `none` for all of it).
    func accumulateInputGradient(
        _ dGates: UnsafePointer<Float>, gateWidth g: Int, weights w: UnsafePointer<Float>,
        into dx: UnsafeMutablePointer<Float>
    ) throws {
        for (range, columns) in parts {
            try GEMM.sgemm(
                transposeA: false, transposeB: false, m: range.count, n: columns, k: g, alpha: 1,
                a: dGates + range.lowerBound * g, lda: g, b: w, ldb: width, beta: 1, c: dx + range.lowerBound * width,
                ldc: width)
        }
    }
}
