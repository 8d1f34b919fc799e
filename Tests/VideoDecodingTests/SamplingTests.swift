// Sampled frame indices and timestamps on real clips equal those computed independently from
// `ffprobe -show_frames` (best_effort_timestamp_time) by the brute-force reference sampler,
// including variable frame rate and a start time of 3600 s; seeking and decoding everything
// pick the same frames, byte for byte.
import Testing

@testable import VideoDecoding

struct SamplingTests {
    static let clips = [
        "h264.mp4", "vfr.mkv", "start3600.ts", "long_gop.mp4", "hevc.mkv", "vp9.webm", "mpeg4.avi", "one_frame.mp4",
        "h264.mov",
    ]
    static let modes: [Sampling] = [
        .all, .stride(3), .fps(2), .fps(7.5), .fps(60), .uniform(5), .uniform(1), .segments(4),
    ]

    @Test(arguments: clips)
    func indicesAndTimestampsMatchFFprobe(clip: String) throws {
        let path = Oracle.fixture(clip)
        let probe = try Oracle.frameTimestamps(path)
        #expect(!probe.isEmpty)
        for mode in Self.modes {
            let ours = try decode(path, FrameRequest(sampling: mode, geometry: .size(width: 32, height: 24)))
            let expected = ReferenceSampler.select(mode, probe)
            #expect(ours.indices == expected, "\(clip) \(mode)")
            let timestampsMatch = zip(ours.timestamps, expected.map { probe[$0] }).allSatisfy { abs($0 - $1) < 2e-6 }
            #expect(
                timestampsMatch && ours.frames.count == expected.count, "\(clip) \(mode): \(ours.timestamps.prefix(5))")
            if let first = probe.first {
                #expect(ours.frames.allSatisfy { abs($0.time - ($0.timestamp - first)) < 1e-9 })
            }
        }
    }

    @Test(arguments: ["long_gop.mp4", "hevc.mkv", "vp9.webm", "h264.mp4"])
    func seekingGivesTheSameFramesAsDecodingEverything(clip: String) throws {
        let path = Oracle.fixture(clip)
        var totalSeeks = 0
        for mode: Sampling in [.fps(0.5), .fps(1), .fps(3), .uniform(7), .segments(5)] {
            let small = Geometry.size(width: 48, height: 36)
            let fast = try decode(path, FrameRequest(sampling: mode, geometry: small, allowSeeking: true))
            let full = try decode(path, FrameRequest(sampling: mode, geometry: small, allowSeeking: false))
            #expect(fast.indices == full.indices, "\(clip) \(mode)")
            #expect(fast.timestamps == full.timestamps, "\(clip) \(mode)")
            // Compared as one Bool: #expect on two large arrays would diff them element by element.
            let same = fast.bytes == full.bytes
            #expect(same, "\(clip) \(mode): \(byteDifference(fast.bytes, full.bytes))")
            #expect(full.stats.seeks == 0)
            #expect(fast.stats.framesDecoded <= full.stats.framesDecoded)
            totalSeeks += fast.stats.seeks
        }
        if clip == "long_gop.mp4" {
            // Sparse targets over 12 s with a keyframe every 2 s must actually seek.
            #expect(totalSeeks > 0)
        }
    }

    @Test func sparseSamplingDecodesLessThanEverything() throws {
        let path = Oracle.fixture("long_gop.mp4")
        let fast = try decode(path, FrameRequest(sampling: .fps(0.5), geometry: .size(width: 32, height: 32)))
        let total = try Oracle.frameTimestamps(path).count
        #expect(fast.stats.timelineFrames == total)
        #expect(fast.stats.framesDecoded < total / 2, "decoded \(fast.stats.framesDecoded) of \(total)")
    }
}
