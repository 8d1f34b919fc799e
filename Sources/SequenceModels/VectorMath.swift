// Eight-wide single-precision exp, sigmoid and tanh for the LSTM's gate nonlinearities, so the
// elementwise part of a step runs on SIMD registers instead of one libm call per value. The
// polynomials are Cephes' `expf` and `tanhf` (S. L. Moshier; also the ones in `avx_mathfun` and
// Eigen), accurate to a few float ulps over the whole range:
//   exp(x) = 2^k · e^r,  k = round(x·log2 e) (to nearest),  r = x − k·ln 2 (two-part ln 2),  e^r a degree-7 fit
//   σ(x)   = 1 / (1 + exp(−x))
//   tanh(x) = x + x³·P(x²) for |x| < 0.625, else sign(x)·(1 − 2 / (exp(2|x|) + 1))
// The naive twins are Foundation's `expf` and `tanhf` (tests compare them on seeded input).

/// SIMD exp, sigmoid and tanh on `SIMD8<Float>`, and loads and stores of the first few lanes (a
/// row's last, partial vector).
enum VectorMath {
    typealias Vector = SIMD8<Float>

    /// The first `lanes` values at `p` (the rest 0).
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ lanes: Int) -> Vector {
        if lanes == Vector.scalarCount { return UnsafeRawPointer(p).loadUnaligned(as: Vector.self) }
        var v = Vector()
        for lane in 0..<lanes { v[lane] = p[lane] }
        return v
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Float>, _ lanes: Int) -> Vector {
        load(UnsafePointer(p), lanes)
    }

    /// Writes the first `lanes` values of `v` to `p`.
    @inline(__always)
    static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>, _ lanes: Int) {
        if lanes == Vector.scalarCount {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
            return
        }
        for lane in 0..<lanes { p[lane] = v[lane] }
    }

    /// e^x; inputs are clamped to [−87.3, 88.38] (the normal float range of e^x).
    @inline(__always)
    static func exp(_ x: Vector) -> Vector {
        // The clamp as two compare-and-selects: `clamped` calls the standard library's generic
        // pointwiseMin/Max out of line, which made exp 2.6x slower (3.6 against 1.4 ns a value).
        var x = x.replacing(with: Vector(repeating: -87.3), where: x .< -87.3)
        x.replace(with: Vector(repeating: 88.3762626647949), where: x .> 88.3762626647949)
        // k = round(x·log2 e) by the 1.5·2^23 trick: floats in [2^23, 2^24) are the integers, so the
        // sum rounds, and its bits are 0x4B400000 + k, which gives 2^k's biased exponent k + 127
        // directly (no floor or float-to-int conversion, which SIMD does lane by lane without SSE4.1).
        let shifted = x * 1.44269504088896341 + 12_582_912
        let k = shifted - 12_582_912
        x -= k * 0.693359375
        x -= k * -2.12194440e-4
        let z = x * x
        var y = Vector(repeating: 1.9875691500e-4)
        y = y * x + 1.3981999507e-3
        y = y * x + 8.3334519073e-3
        y = y * x + 4.1665795894e-2
        y = y * x + 1.6666665459e-1
        y = y * x + 5.0000001201e-1
        y = y * z + x + 1
        // k is in [-126, 128] after the clamp (2^128 gives inf).
        let biased = unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- (0x4B40_0000 - 127)
        return y * unsafeBitCast(biased &<< 23, to: Vector.self)
    }

    /// 1 / (1 + e^−x).
    @inline(__always)
    static func sigmoid(_ x: Vector) -> Vector {
        1 / (1 + exp(-x))
    }

    /// tanh x.
    @inline(__always)
    static func tanh(_ x: Vector) -> Vector {
        let z = x * x
        var p = Vector(repeating: -5.70498872745e-3)
        p = p * z + 2.06390887954e-2
        p = p * z - 5.37397155531e-2
        p = p * z + 1.33314422036e-1
        p = p * z - 3.33332819422e-1
        let small = p * z * x + x
        let magnitude = 1 - 2 / (exp(2 * abs(x)) + 1)
        let large = magnitude.replacing(with: -magnitude, where: x .< 0)
        return small.replacing(with: large, where: abs(x) .>= 0.625)
    }

    /// The largest of the `count` ≥ 1 values at `x`, eight lanes at a time: `v .> lanes` selects
    /// (not `pointwiseMax`: see `exp`), so a NaN is never taken over a number (a row of eight or
    /// more NaNs gives −∞). The softmax and the arg-max of a row both start with it.
    @inline(__always)
    static func rowMax(_ x: UnsafePointer<Float>, count: Int) -> Float {
        let width = Vector.scalarCount
        let whole = count - count % width
        var top = x[0]
        var i = 0
        if whole > 0 {
            var lanes = Vector(repeating: -.infinity)
            while i < whole {
                let v = UnsafeRawPointer(x + i).loadUnaligned(as: Vector.self)
                lanes.replace(with: v, where: v .> lanes)
                i += width
            }
            top = lanes.max()
        }
        for j in whole..<count where x[j] > top { top = x[j] }
        return top
    }

    @inline(__always)
    private static func abs(_ x: Vector) -> Vector {
        x.replacing(with: -x, where: x .< 0)
    }
}
