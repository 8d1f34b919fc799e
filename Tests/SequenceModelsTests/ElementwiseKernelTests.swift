// `CKernels`' AVX2 twins against the Swift loops they replace (`ElementwiseKernel`): the LSTM cell
// forward and backward within a few float ulps of the portable path and of the equations in Double
// on seeded rows (partial vectors included: H 13); Adam bit-identical over three steps of both
// kinds, the transpose and the column sums bit-identical. The AVX2 tests run where the CPU has AVX2 and FMA (CI's machines do) and are reported as
// skipped elsewhere; `bestUsesAVX2WhereAvailable` fails if the dispatch stops picking them.
import Foundation
import TensorCore
import Testing

@testable import SequenceModels

struct ElementwiseKernelTests {
    static let hasAVX2 = ElementwiseKernel.avx2.isAvailable

    /// A row's buffers for one cell step: pre-activations over ±12 with saturated and switch values.
    struct Row {
        var gate, c, h, tanhC, output, dOutput, dGate, dh, dc: [Float]

        init(hidden: Int, seed: UInt64) {
            var rng = SeededRNG(seed: seed)
            func values(_ n: Int, _ limit: Float) -> [Float] { (0..<n).map { _ in rng.uniform(-limit, limit) } }
            gate = values(4 * hidden, 12)
            for (k, edge) in ([0, 0.625, -0.625, 40, -40, 1e-6] as [Float]).enumerated() where k < gate.count {
                gate[(k * 7) % gate.count] = edge
            }
            c = values(hidden, 3)
            (h, tanhC, output) = ([Float](repeating: 0, count: hidden), [Float](repeating: 0, count: hidden), [])
            output = h
            dOutput = values(hidden, 1)
            dGate = [Float](repeating: 0, count: 4 * hidden)
            dh = values(hidden, 1)
            dc = values(hidden, 1)
        }

        mutating func forward(_ kernel: ElementwiseKernel) {
            let hidden = c.count
            LSTM.cellForward(
                kernel, gate: &gate, c: &c, h: &h, tanhC: &tanhC, output: &output, hidden: hidden)
        }

        mutating func backward(_ kernel: ElementwiseKernel, cPrev: [Float]) {
            let hidden = c.count
            LSTM.cellBackward(
                kernel, gate: gate, cPrev: cPrev, tanhC: tanhC, dOutput: dOutput, dGate: &dGate, dh: &dh, dc: &dc,
                hidden: hidden)
        }
    }

    /// Largest |a − b| / max(|b|, 1) and where.
    static func maxError(_ a: [Float], _ b: [Double]) -> (Double, Int) {
        var worst = (0.0, -1)
        for i in a.indices {
            let error = abs(Double(a[i]) - b[i]) / max(abs(b[i]), 1)
            if !(error <= worst.0) { worst = (error, i) }
        }
        return worst
    }

    @Test func bestUsesAVX2WhereAvailable() {
        let forced = ProcessInfo.processInfo.environment["VIDACT_KERNELS"] == "portable"
        #expect(ElementwiseKernel.best == (Self.hasAVX2 && !forced ? .avx2 : .portable))
    }

    @Test(.enabled(if: hasAVX2, "the CPU lacks AVX2 or FMA"), arguments: [13, 512])
    func cellForwardTwinsAgree(hidden: Int) {
        let start = Row(hidden: hidden, seed: UInt64(hidden))
        var (fast, portable) = (start, start)
        fast.forward(.avx2)
        portable.forward(.portable)
        // The equations in Double from the same pre-activations.
        func sigmoid(_ x: Float) -> Double { 1 / (1 + Foundation.exp(-Double(x))) }
        var expected: [String: [Double]] = ["gate": [], "c": [], "h": []]
        for j in 0..<hidden {
            let (i, f) = (sigmoid(start.gate[j]), sigmoid(start.gate[hidden + j]))
            let (g, o) = (Foundation.tanh(Double(start.gate[2 * hidden + j])), sigmoid(start.gate[3 * hidden + j]))
            let c = f * Double(start.c[j]) + i * g
            expected["c"]!.append(c)
            expected["h"]!.append(o * Foundation.tanh(c))
        }
        expected["gate"] = (0..<(4 * hidden)).map { k in
            k / hidden == 2 ? Foundation.tanh(Double(start.gate[k])) : sigmoid(start.gate[k])
        }
        for (name, a, b) in [
            ("gate", fast.gate, portable.gate), ("c", fast.c, portable.c), ("h", fast.h, portable.h),
            ("output", fast.output, portable.output),
        ] {
            let (twin, at) = Self.maxError(a, b.map(Double.init))
            #expect(twin < 1e-6, "forward \(name), H \(hidden): AVX2 vs Swift error \(twin) at \(at)")
            let (exact, atExact) = Self.maxError(a, expected[name == "output" ? "h" : name]!)
            #expect(exact < 2e-6, "forward \(name), H \(hidden): AVX2 vs Double error \(exact) at \(atExact)")
        }
        #expect(fast.h == fast.output)
    }

    @Test(.enabled(if: hasAVX2, "the CPU lacks AVX2 or FMA"), arguments: [13, 512])
    func cellBackwardTwinsAgree(hidden: Int) {
        var row = Row(hidden: hidden, seed: UInt64(100 + hidden))
        let cPrev = row.c
        row.forward(.portable)
        var (fast, portable) = (row, row)
        fast.backward(.avx2, cPrev: cPrev)
        portable.backward(.portable, cPrev: cPrev)
        // The equations in Double from the forward pass's activations.
        var dGate = [Double](repeating: 0, count: 4 * hidden)
        var dc = [Double](repeating: 0, count: hidden)
        for j in 0..<hidden {
            let (i, f) = (Double(row.gate[j]), Double(row.gate[hidden + j]))
            let (g, o, tc) = (Double(row.gate[2 * hidden + j]), Double(row.gate[3 * hidden + j]), Double(row.tanhC[j]))
            let dhv = Double(row.dh[j]) + Double(row.dOutput[j])
            let dcv = Double(row.dc[j]) + dhv * o * (1 - tc * tc)
            dGate[j] = dcv * g * i * (1 - i)
            dGate[hidden + j] = dcv * Double(cPrev[j]) * f * (1 - f)
            dGate[2 * hidden + j] = dcv * i * (1 - g * g)
            dGate[3 * hidden + j] = dhv * tc * o * (1 - o)
            dc[j] = dcv * f
        }
        for (name, a, b, exact) in [
            ("dGate", fast.dGate, portable.dGate, dGate), ("dc", fast.dc, portable.dc, dc),
        ] {
            let (twin, at) = Self.maxError(a, b.map(Double.init))
            #expect(twin < 1e-6, "backward \(name), H \(hidden): AVX2 vs Swift error \(twin) at \(at)")
            let (error, atExact) = Self.maxError(a, exact)
            #expect(error < 2e-6, "backward \(name), H \(hidden): AVX2 vs Double error \(error) at \(atExact)")
        }
        #expect(fast.dh.allSatisfy { $0 == 0 } && portable.dh.allSatisfy { $0 == 0 })
    }

    @Test(.enabled(if: hasAVX2, "the CPU lacks AVX2"), arguments: OptimizerKind.allCases)
    func adamTwinsAreBitIdentical(kind: OptimizerKind) {
        var rng = SeededRNG(seed: 7)
        let count = 8 * 1000 + 5  // whole vectors on both cores' ranges, and a partial one
        let start = (0..<count).map { _ in rng.uniform(-1, 1) }
        var (fast, portable) = (start, start)
        var fastAdam = AdamOptimizer(kind: kind, parameterCount: count, weightDecay: 0.01)
        var portableAdam = fastAdam
        for _ in 0..<3 {
            let gradients = (0..<count).map { _ in rng.uniform(-0.1, 0.1) }
            fastAdam.update(parameters: &fast, gradients: gradients, learningRate: 1e-3, kernel: .avx2)
            portableAdam.update(parameters: &portable, gradients: gradients, learningRate: 1e-3, kernel: .portable)
        }
        let differing = (0..<count).filter { fast[$0].bitPattern != portable[$0].bitPattern }
        #expect(differing.isEmpty, "\(kind): \(differing.count) parameters differ, first at \(differing.first ?? -1)")
        #expect(fastAdam == portableAdam, "\(kind): the moments differ")
        #expect(fast != start)
    }

    @Test(.enabled(if: hasAVX2, "the CPU lacks AVX2"))
    func transposeTwinsAreIdentical() {
        var rng = SeededRNG(seed: 9)
        let (rows, columns) = (24, 40)
        let m = (0..<(rows * columns)).map { _ in rng.uniform(-1, 1) }
        var (fast, portable) = ([Float](repeating: 0, count: m.count), [Float](repeating: 0, count: m.count))
        m.withUnsafeBufferPointer { m in
            RowMajor.transpose(m.start, rows: rows, columns: columns, into: &fast, kernel: .avx2)
            RowMajor.transpose(m.start, rows: rows, columns: columns, into: &portable, kernel: .portable)
        }
        #expect(fast == portable)
        #expect(fast[5 * rows + 3] == m[3 * columns + 5])
    }

    @Test(.enabled(if: hasAVX2, "the CPU lacks AVX2"))
    func columnSumTwinsAreBitIdentical() {
        var rng = SeededRNG(seed: 10)
        let (rows, columns) = (37, 77)  // blocks of 32 and 8 columns and single ones
        let m = (0..<(rows * columns)).map { _ in rng.uniform(-1, 1) * 1000 }
        let start = (0..<columns).map { _ in rng.uniform(-1, 1) }
        var (fast, portable) = (start, start)
        m.withUnsafeBufferPointer { m in
            RowMajor.addColumnSums(of: m.start, rows: rows, columns: columns, kernel: .avx2, to: &fast)
            RowMajor.addColumnSums(of: m.start, rows: rows, columns: columns, kernel: .portable, to: &portable)
        }
        #expect(fast.map(\.bitPattern) == portable.map(\.bitPattern))
        #expect(fast != start)
    }

    @Test(.enabled(if: hasAVX2, "the CPU lacks AVX2 or FMA"), arguments: [5000, 13, 3])
    func softmaxRowTwinsAgree(count: Int) {
        var rng = SeededRNG(seed: UInt64(count))
        var row = (0..<count).map { _ in rng.uniform(-20, 20) }
        row[count / 2] = 25  // a clear maximum in the middle
        var (fast, portable) = (row, row)
        let a = fast.withUnsafeMutableBufferPointer {
            SoftmaxCrossEntropy.softmaxRow($0.start, count: count, times: 0.25, kernel: .avx2)
        }
        let b = portable.withUnsafeMutableBufferPointer {
            SoftmaxCrossEntropy.softmaxRow($0.start, count: count, times: 0.25, kernel: .portable)
        }
        #expect(a.max == b.max && a.max == row.max())
        #expect(abs(a.logSum - b.logSum) < 1e-6, "log Σ: \(a.logSum) vs \(b.logSum)")
        let (error, at) = Self.maxError(fast, portable.map(Double.init))
        #expect(error < 1e-6, "softmax, \(count) values: AVX2 vs Swift error \(error) at \(at)")
        let total = fast.reduce(0, +)
        #expect(abs(total - 0.25) < 1e-5, "the probabilities times 0.25 sum to \(total)")
    }
}
