// Conversion between Float and the two 16-bit float formats stored in weight and feature files,
// on raw bit patterns (UInt16), so it does not depend on the platform having a `Float16` type.
//
// IEEE 754 binary16 (F16): 1 sign, 5 exponent (bias 15), 10 fraction bits; largest finite 65504,
// smallest normal 2^-14, subnormals down to 2^-24. bfloat16 (BF16): the top 16 bits of a Float
// (1 sign, 8 exponent, 7 fraction bits), same range as Float.
//
// Float → 16 bits rounds to nearest, ties to even, as IEEE conversion and numpy/PyTorch do:
// values too large for F16 become ±inf, too small become ±0 or the nearest subnormal. Infinities
// keep their sign. A NaN stays a NaN: sign kept, quiet bit set, top fraction bits kept (so a
// payload can never round into an infinity). 16 bits → Float is exact.

/// F16 and BF16 bit patterns to and from Float.
public enum HalfFloat {
    /// The binary16 bits nearest to `value` (round to nearest, ties to even).
    public static func float16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        let magnitude = bits & 0x7FFF_FFFF
        if magnitude >= 0x7F80_0000 {  // inf or NaN
            if magnitude == 0x7F80_0000 { return sign | 0x7C00 }
            return sign | 0x7E00 | UInt16(truncatingIfNeeded: (magnitude >> 13) & 0x03FF)
        }
        let exponent = Int(magnitude >> 23) - 127
        if exponent > 15 { return sign | 0x7C00 }  // >= 2^16: beyond 65520, so rounds to inf
        let fraction = magnitude & 0x007F_FFFF
        if exponent >= -14 {
            // Normal: keep 10 of 23 fraction bits; a carry out of the fraction bumps the exponent
            // (and 65520 and up carry into 0x7C00, the infinity).
            var half = UInt32(exponent + 15) << 10 | fraction >> 13
            let rest = fraction & 0x1FFF
            if rest > 0x1000 || (rest == 0x1000 && half & 1 == 1) { half += 1 }
            return sign | UInt16(truncatingIfNeeded: half)
        }
        if exponent < -25 { return sign }  // below half the smallest subnormal: ±0
        // Subnormal: value = significand·2^(exponent-23), in units of 2^-24 that is
        // significand >> shift with shift = -(exponent + 1) in 14...24.
        let significand = fraction | 0x0080_0000
        let shift = UInt32(-(exponent + 1))
        var half = significand >> shift
        let rest = significand & ((1 << shift) - 1)
        let halfway = UInt32(1) << (shift - 1)
        if rest > halfway || (rest == halfway && half & 1 == 1) { half += 1 }
        return sign | UInt16(truncatingIfNeeded: half)
    }

    /// The Float equal to binary16 `bits` (exact).
    public static func float(fromFloat16Bits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let fraction = UInt32(bits & 0x03FF)
        switch exponent {
        case 0x1F:  // inf or NaN: widen the fraction
            return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
        case 0:  // zero or subnormal: fraction·2^-24, exact in Float
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        default:
            return Float(bitPattern: sign | (exponent + 112) << 23 | fraction << 13)
        }
    }

    /// The bfloat16 bits nearest to `value` (round to nearest, ties to even).
    public static func bfloat16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        // Adding 0x7FFF plus the lowest kept bit rounds ties to even; a carry runs into the
        // exponent, and the largest finite values round to infinity as they should.
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }

    /// The Float equal to bfloat16 `bits` (exact).
    public static func float(fromBFloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// `float16Bits(from:)` of every value.
    public static func float16Bits(from values: [Float]) -> [UInt16] {
        values.map { float16Bits(from: $0) }
    }

    /// `float(fromFloat16Bits:)` of every pattern.
    public static func floats(fromFloat16Bits bits: [UInt16]) -> [Float] {
        bits.map { float(fromFloat16Bits: $0) }
    }

    /// `bfloat16Bits(from:)` of every value.
    public static func bfloat16Bits(from values: [Float]) -> [UInt16] {
        values.map { bfloat16Bits(from: $0) }
    }

    /// `float(fromBFloat16Bits:)` of every pattern.
    public static func floats(fromBFloat16Bits bits: [UInt16]) -> [Float] {
        bits.map { float(fromBFloat16Bits: $0) }
    }
}
