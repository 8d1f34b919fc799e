// A small seeded random number generator, so that test inputs and weight initialisations are the
// same on every run and every machine. The generator is SplitMix64 (Steele, Lea and Flood,
// "Fast splittable pseudorandom number generators", OOPSLA 2014; the constants are those of
// Java's SplittableRandom): 64 bits of state, one multiply-xorshift chain per output, every
// seed valid. Uniform floats take the top 24 (Float) or 53 (Double) bits, so they are exact
// multiples of 2^-24 or 2^-53 in [0, 1). Normal values use the Box–Muller transform on two
// uniform doubles (one normal per pair, no cached second value), so each value depends only on
// the seed and its position in the sequence.

import Foundation

/// SplitMix64: a deterministic, seedable `RandomNumberGenerator`.
public struct SeededRNG: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Float in [0, 1), a multiple of 2^-24.
    public mutating func uniformFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform Double in [0, 1), a multiple of 2^-53.
    public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform Float in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        precondition(low <= high, "SeededRNG.uniform: low \(low) > high \(high)")
        return low + (high - low) * uniformFloat()
    }

    /// A normally distributed Float (Box–Muller).
    public mutating func normal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
        let u1 = 1 - uniformDouble()  // (0, 1]: log is finite
        let u2 = uniformDouble()
        let z = (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
        return mean + standardDeviation * Float(z)
    }
}
