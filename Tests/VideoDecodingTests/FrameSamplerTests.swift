// FrameSampler against hand-worked cases and against the brute-force reference on random
// timestamps with irregular spacing (variable frame rate) and a non-zero start.
import TestSupport
import Testing

@testable import VideoDecoding

struct FrameSamplerTests {
    let regular = (0..<10).map { Double($0) * 0.04 }  // 25 fps, 10 frames: 0 … 0.36 s

    @Test func allAndStride() {
        #expect(FrameSampler.select(.all, timestamps: regular) == Array(0..<10))
        #expect(FrameSampler.select(.stride(3), timestamps: regular) == [0, 3, 6, 9])
        #expect(FrameSampler.select(.stride(20), timestamps: regular) == [0])
    }

    @Test func fpsTakesTheFrameShownAtEachTarget() {
        // Targets 0, 0.1, 0.2, 0.3: shown frames are those at 0, 0.08, 0.2, 0.28.
        #expect(FrameSampler.select(.fps(10), timestamps: regular) == [0, 2, 5, 7])
        // Faster than the video: frames repeat (0, 0.02, 0.04, ...).
        #expect(FrameSampler.select(.fps(50), timestamps: Array(regular.prefix(3))) == [0, 0, 1, 1, 2])
    }

    @Test func fpsWithAStartTimeAndAGap() {
        let ts = [3600.0, 3600.04, 3600.08, 3601.0, 3601.04]
        // Targets 3600, 3600.5, 3601.0: the frame at 3600.08 is still shown at 3600.5.
        #expect(FrameSampler.select(.fps(2), timestamps: ts) == [0, 2, 3])
    }

    @Test func uniformSpansFirstToLast() {
        #expect(FrameSampler.select(.uniform(4), timestamps: regular) == [0, 3, 6, 9])
        #expect(FrameSampler.select(.uniform(1), timestamps: regular) == [0])
        // More targets than frames: nearest frames repeat.
        #expect(FrameSampler.select(.uniform(5), timestamps: [0, 1]) == [0, 0, 0, 1, 1])
    }

    @Test func segmentsTakeTheCentres() {
        // Span 0.36 s in 3 segments of 0.12 s: centres 0.06, 0.18, 0.30 → nearest 0.04|0.08 tie → 0.04.
        #expect(FrameSampler.select(.segments(3), timestamps: regular) == [1, 4, 7])
    }

    @Test func singleFrameAndEmpty() {
        for sampling: Sampling in [.all, .stride(2), .fps(30), .uniform(3), .segments(2)] {
            let expected = sampling == .uniform(3) ? [0, 0, 0] : sampling == .segments(2) ? [0, 0] : [0]
            #expect(FrameSampler.select(sampling, timestamps: [5.0]) == expected, "\(sampling)")
            #expect(FrameSampler.select(sampling, timestamps: []).isEmpty)
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func matchesTheReferenceOnIrregularTimestamps(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        var t = Double(rng.next() % 5000)
        var ts: [Double] = []
        for _ in 0..<(3 + Int(rng.next() % 300)) {
            ts.append(t)
            t += [0.0333, 0.04, 0.1, 0.5, 0.001][Int(rng.next() % 5)]
        }
        let modes: [Sampling] = [
            .all, .stride(1 + Int(rng.next() % 7)), .fps(0.5), .fps(1), .fps(2.5), .fps(29.97), .fps(120),
            .uniform(1), .uniform(8), .uniform(500), .segments(1), .segments(8), .segments(33),
        ]
        for mode in modes {
            #expect(
                FrameSampler.select(mode, timestamps: ts) == ReferenceSampler.select(mode, ts), "\(mode) seed \(seed)")
        }
    }
}

/// A tiny seeded generator for test data.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
