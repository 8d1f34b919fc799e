// HalfFloat: float16 and bfloat16 conversion against known bit patterns (IEEE 754 binary16 and
// bfloat16 tables: normals, subnormals, infinities, NaN, rounding ties), against the platform's
// own `Float16` conversion where it has one, and round trips over every 16-bit pattern. The
// safetensors interop tests also check it against numpy and ml_dtypes.
import Testing

@testable import TensorCore

struct HalfFloatTests {
    static let float16Cases: [(Float, UInt16)] = [
        (1, 0x3C00), (-2, 0xC000), (0.5, 0x3800), (0, 0x0000), (-0.0, 0x8000),
        (65504, 0x7BFF),  // largest finite
        (Float(bitPattern: 0x477F_EFFF), 0x7BFF),  // just under the rounding point
        (65520, 0x7C00),  // the tie between 65504 and 65536 rounds to even: infinity
        (1e6, 0x7C00), (-1e6, 0xFC00), (.infinity, 0x7C00), (-.infinity, 0xFC00),
        (0x1p-14, 0x0400),  // smallest normal
        (0x1p-24, 0x0001),  // smallest subnormal
        (0x1.ff8p-15, 0x03FF),  // largest subnormal, 1023·2^-24
        (0x1p-25, 0x0000),  // tie between 0 and 2^-24: even, 0
        (0x1.8p-25, 0x0001),  // above that tie
        (0x1.8p-24, 0x0002),  // tie between 1 and 2 units: even, 2
        (0x1.4p-23, 0x0002),  // 2.5 units: tie, even, 2
        (-0x1p-26, 0x8000),  // underflow keeps the sign
        (1 + 0x1p-11, 0x3C00),  // tie: 1.0 (even)
        (1 + 0x1.8p-10, 0x3C02),  // tie between 0x3C01 and 0x3C02: 0x3C02 (even)
        (1 + 0x1p-10, 0x3C01),  // exact
        (0.1, 0x2E66), (1.0 / 3.0, 0x3555), (3.14159265, 0x4248),
    ]

    static let float16Decodings: [(UInt16, Float)] = [
        (0x3C00, 1), (0xC000, -2), (0x7BFF, 65504), (0x0400, 0x1p-14), (0x0001, 0x1p-24),
        (0x03FF, 0x1.ff8p-15), (0x8001, -0x1p-24), (0x7C00, .infinity), (0xFC00, -.infinity), (0x3555, 0.333251953125),
    ]

    static let bfloat16Cases: [(Float, UInt16)] = [
        (1, 0x3F80), (-2, 0xC000), (0, 0x0000), (-0.0, 0x8000),
        (1.00390625, 0x3F80),  // 1 + 2^-8: tie, even: 1.0
        (1.01171875, 0x3F82),  // 1 + 3·2^-8: tie, even: 0x3F82
        (1.0078125, 0x3F81),  // exact
        (Float(bitPattern: 0x3F80_8001), 0x3F81),  // just above the tie
        (3.14159265, 0x4049), (.greatestFiniteMagnitude, 0x7F80), (-.greatestFiniteMagnitude, 0xFF80),
        (.infinity, 0x7F80), (-.infinity, 0xFF80),
        (Float(bitPattern: 0x0001_16C2), 0x0001),  // float32 subnormal (about 1e-40), kept as a bfloat16 subnormal
        (.leastNonzeroMagnitude, 0x0000),
    ]

    @Test(arguments: float16Cases)
    func float16FromFloat(value: Float, bits: UInt16) {
        #expect(HalfFloat.float16Bits(from: value) == bits, "\(value)")
    }

    @Test func float16NaNStaysNaNWithItsSign() {
        let quiet = HalfFloat.float16Bits(from: .nan)
        #expect(quiet & 0x7C00 == 0x7C00 && quiet & 0x03FF != 0)
        #expect(quiet == 0x7E00)
        let negative = HalfFloat.float16Bits(from: -Float.nan)
        #expect(negative & 0x8000 != 0 && negative & 0x03FF != 0)
        // A signalling NaN whose payload lies below the kept bits must not become an infinity.
        let low = HalfFloat.float16Bits(from: Float(bitPattern: 0x7F80_0001))
        #expect(HalfFloat.float(fromFloat16Bits: low).isNaN)
    }

    @Test(arguments: float16Decodings)
    func floatFromFloat16(bits: UInt16, value: Float) {
        #expect(HalfFloat.float(fromFloat16Bits: bits) == value)
    }

    @Test func float16SignedZeroAndNaN() {
        #expect(HalfFloat.float(fromFloat16Bits: 0x8000).bitPattern == 0x8000_0000)
        #expect(HalfFloat.float(fromFloat16Bits: 0x7E00).isNaN)
        #expect(HalfFloat.float(fromFloat16Bits: 0xFE01).isNaN)
        #expect(HalfFloat.float(fromFloat16Bits: 0xFE01).sign == .minus)
    }

    @Test func everyFloat16PatternRoundTrips() {
        for bits in UInt16.min...UInt16.max {
            let value = HalfFloat.float(fromFloat16Bits: bits)
            if value.isNaN {
                #expect(HalfFloat.float16Bits(from: value) & 0x7E00 == 0x7E00)
            } else if HalfFloat.float16Bits(from: value) != bits {
                Issue.record(
                    "0x\(String(bits, radix: 16)) → \(value) → 0x\(String(HalfFloat.float16Bits(from: value), radix: 16))"
                )
            }
        }
    }

    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
        @Test func agreesWithThePlatformFloat16() {
            // Swift's own Float16 conversion (hardware F16C or compiler-rt) is an independent oracle.
            for bits in UInt16.min...UInt16.max {
                let native = Float(Float16(bitPattern: bits))
                let ours = HalfFloat.float(fromFloat16Bits: bits)
                if !(native.bitPattern == ours.bitPattern || (native.isNaN && ours.isNaN)) {
                    Issue.record("f16 0x\(String(bits, radix: 16)): native \(native), ours \(ours)")
                }
            }
            var mismatches = 0
            var rng = SeededRNG(seed: 16)
            // Every 4099th float32 pattern (all exponents and signs), then random ones.
            let patterns =
                Array(stride(from: UInt32(0), to: UInt32.max - 4099, by: 4099))
                + (0..<200_000).map { _ in
                    UInt32(truncatingIfNeeded: rng.next())
                }
            for pattern in patterns {
                let value = Float(bitPattern: pattern)
                let native = Float16(value).bitPattern
                let ours = HalfFloat.float16Bits(from: value)
                if native != ours && !(value.isNaN && ours & 0x7C00 == 0x7C00 && ours & 0x03FF != 0) {
                    mismatches += 1
                    if mismatches <= 5 {
                        Issue.record(
                            "f32 0x\(String(pattern, radix: 16)) (\(value)): native 0x\(String(native, radix: 16)), ours 0x\(String(ours, radix: 16))"
                        )
                    }
                }
            }
            #expect(mismatches == 0)
        }
    #endif

    @Test(arguments: bfloat16Cases)
    func bfloat16FromFloat(value: Float, bits: UInt16) {
        #expect(HalfFloat.bfloat16Bits(from: value) == bits, "\(value)")
    }

    @Test func bfloat16NaNAndWidening() {
        #expect(HalfFloat.bfloat16Bits(from: .nan) == 0x7FC0)
        #expect(HalfFloat.bfloat16Bits(from: -Float.nan) == 0xFFC0)
        #expect(HalfFloat.float(fromBFloat16Bits: HalfFloat.bfloat16Bits(from: Float(bitPattern: 0x7F80_0001))).isNaN)
        #expect(HalfFloat.float(fromBFloat16Bits: 0x3F80) == 1)
        #expect(HalfFloat.float(fromBFloat16Bits: 0x0001) == 0x1p-133)
        #expect(HalfFloat.float(fromBFloat16Bits: 0xFF80) == -.infinity)
        for bits in UInt16.min...UInt16.max {
            let value = HalfFloat.float(fromBFloat16Bits: bits)
            #expect(value.bitPattern == UInt32(bits) << 16)
            if !value.isNaN && HalfFloat.bfloat16Bits(from: value) != bits {
                Issue.record("bf16 0x\(String(bits, radix: 16)) does not round-trip")
            }
        }
    }

    @Test func arrayForms() {
        #expect(HalfFloat.float16Bits(from: [1, -2]) == [0x3C00, 0xC000])
        #expect(HalfFloat.floats(fromFloat16Bits: [0x3C00, 0xC000]) == [1, -2])
        #expect(HalfFloat.bfloat16Bits(from: [1, -2]) == [0x3F80, 0xC000])
        #expect(HalfFloat.floats(fromBFloat16Bits: [0x3F80, 0xC000]) == [1, -2])
    }
}
