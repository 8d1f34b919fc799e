// SeededRNG: the SplitMix64 sequence against published reference outputs, and the uniform and
// normal draws against their definitions and moments (deterministic, so these cannot flake).
import Testing

@testable import TensorCore

struct SeededRNGTests {
    @Test func matchesTheSplitMix64ReferenceSequence() {
        // First outputs of Vigna's splitmix64.c for these seeds (also in Rust rand's test vectors).
        var rng = SeededRNG(seed: 1_234_567)
        let expected: [UInt64] = [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ]
        #expect((0..<5).map { _ in rng.next() } == expected)
        var zero = SeededRNG(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
        #expect(zero.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func uniformTakesTheTopBits() {
        var a = SeededRNG(seed: 7)
        var b = SeededRNG(seed: 7)
        let bits = a.next()
        #expect(b.uniformFloat() == Float(bits >> 40) * 0x1p-24)
        var c = SeededRNG(seed: 7)
        #expect(c.uniformDouble() == Double(bits >> 11) * 0x1p-53)
    }

    @Test func sameSeedSameTensorsDifferentSeedDifferent() {
        var a = SeededRNG(seed: 42)
        var b = SeededRNG(seed: 42)
        var c = SeededRNG(seed: 43)
        let x = Tensor.normal(shape: [4, 5], using: &a)
        #expect(x == Tensor.normal(shape: [4, 5], using: &b))
        #expect(x != Tensor.normal(shape: [4, 5], using: &c))
    }

    @Test func uniformStaysInRangeWithTheRightMean() {
        var rng = SeededRNG(seed: 1)
        let t = Tensor.uniform(shape: [10_000], -2, 3, using: &rng)
        #expect(t.storage.allSatisfy { $0 >= -2 && $0 < 3 })
        // Standard error of the mean: 5 / sqrt(12) / sqrt(10 000) ≈ 0.0144; allow 5 of them.
        #expect(abs(t.mean() - 0.5) < 0.072)
    }

    @Test func normalHasTheRequestedMoments() {
        var rng = SeededRNG(seed: 2)
        let t = Tensor.normal(shape: [20_000], mean: 1, standardDeviation: 2, using: &rng)
        let mean = t.mean()
        let variance = t.map { ($0 - mean) * ($0 - mean) }.mean()
        // Standard errors: mean 2 / sqrt(20 000) ≈ 0.014, deviation 2 / sqrt(40 000) = 0.01; allow 5.
        #expect(abs(mean - 1) < 0.07)
        #expect(abs(variance.squareRoot() - 2) < 0.05)
        #expect(t.storage.allSatisfy { $0.isFinite })
    }
}
