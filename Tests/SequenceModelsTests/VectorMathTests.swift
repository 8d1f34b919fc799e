// `VectorMath`'s SIMD exp, sigmoid and tanh against their naive twins (Foundation's Double `exp`,
// `tanh`) on seeded input over the range the gates see and beyond, plus edges (0, ±tiny, the
// switch between tanh's two formulas, saturation).
import Foundation
import TensorCore
import Testing

@testable import SequenceModels

struct VectorMathTests {
    typealias Vector = VectorMath.Vector

    /// Seeded values: uniform in ±limit, then the edges.
    static func inputs(limit: Float, seed: UInt64) -> [Float] {
        var rng = SeededRNG(seed: seed)
        let edges = ([0, -0, 1e-30, -1e-30, 1e-6, -1e-6, 0.624, -0.624, 0.625, -0.625, 40, -40] as [Float]).filter {
            abs($0) <= limit
        }
        let random = (0..<(8 * 4096)).map { _ in rng.uniform(-limit, limit) }
        return edges + random + [Float](repeating: 0, count: 8 - edges.count % 8)
    }

    /// Largest |a − e| / max(|e|, floor) over `xs`, applying `fast` eight at a time.
    static func maxError(
        _ xs: [Float], floor: Double, fast: (Vector) -> Vector, exact: (Double) -> Double
    ) -> (error: Double, at: Float) {
        var worst = (error: 0.0, at: Float(0))
        for start in stride(from: 0, to: xs.count, by: 8) {
            var v = Vector()
            for lane in 0..<8 { v[lane] = xs[start + lane] }
            let y = fast(v)
            for lane in 0..<8 {
                let e = exact(Double(v[lane]))
                let error = abs(Double(y[lane]) - e) / max(abs(e), floor)
                if !(error <= worst.error) { worst = (error, v[lane]) }
            }
        }
        return worst
    }

    @Test func expMatchesFoundation() {
        let worst = Self.maxError(
            Self.inputs(limit: 80, seed: 1), floor: 1e-30, fast: VectorMath.exp, exact: Foundation.exp)
        #expect(worst.error < 1e-6, "exp: relative error \(worst.error) at \(worst.at)")
    }

    @Test func sigmoidMatchesFoundation() {
        let worst = Self.maxError(
            Self.inputs(limit: 30, seed: 2), floor: 1e-30, fast: VectorMath.sigmoid,
            exact: { 1 / (1 + Foundation.exp(-$0)) })
        #expect(worst.error < 1e-6, "sigmoid: relative error \(worst.error) at \(worst.at)")
    }

    @Test func tanhMatchesFoundation() {
        let worst = Self.maxError(
            Self.inputs(limit: 12, seed: 3), floor: 1e-30, fast: VectorMath.tanh, exact: Foundation.tanh)
        #expect(worst.error < 1e-6, "tanh: relative error \(worst.error) at \(worst.at)")
    }

    /// `rowMax` against `Array.max` on rows with a partial last vector, and NaN never taken over a
    /// number (first, inside a vector, in the tail).
    @Test func rowMaxIsTheLargestNumber() {
        var rng = SeededRNG(seed: 4)
        for count in [1, 7, 8, 13, 5000] {
            var row = (0..<count).map { _ in rng.uniform(-50, 50) }
            #expect(row.withUnsafeBufferPointer { VectorMath.rowMax($0.start, count: count) } == row.max())
            guard count > 8 else { continue }
            let largest = row.max() ?? 0
            for index in [0, 3, count - 1] { row[index] = .nan }
            let expected = row.filter { !$0.isNaN }.max() ?? largest
            #expect(row.withUnsafeBufferPointer { VectorMath.rowMax($0.start, count: count) } == expected)
        }
    }
}
