// Sampled frame indices and timestamps on real clips equal those computed independently from
// `ffprobe -show_frames` (best_effort_timestamp_time) by the brute-force reference sampler,
// including variable frame rate and a start time of 3600 s; seeking and decoding everything
// pick the same frames, byte for byte.
import TestSupport
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

/// A raw H.264 elementary stream has no timestamps at all (ffprobe prints N/A), so the timeline
/// comes from a decode pass and frames are taken as evenly spaced at the stream's frame rate; the
/// frame count and rate come from ffprobe.
struct RawStreamSamplingTests {
    @Test func rawElementaryStreamSamplesLikeFFprobe() throws {
        let dir = try TemporaryDirectory()
        let raw = dir.path("clip.h264")
        _ = try Oracle.run(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-i", Oracle.fixture("h264.mp4"), "-c", "copy", "-bsf:v", "h264_mp4toannexb",
                "-f", "h264", raw,
            ])
        let frames = try Oracle.run(
            "ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=key_frame", "-of", "csv=p=0", raw])
        let count = String(decoding: frames, as: UTF8.self).split(whereSeparator: \.isNewline).count
        let rate = try Oracle.streamField(raw, "r_frame_rate").split(separator: "/").compactMap { Double($0) }
        #expect(count == 50 && rate.count == 2)
        let probe = (0..<count).map { Double($0) * rate[1] / rate[0] }
        for mode: Sampling in [.fps(5), .uniform(4), .segments(3)] {
            let ours = try decode(raw, FrameRequest(sampling: mode, geometry: .size(width: 16, height: 16)))
            let expected = ReferenceSampler.select(mode, probe)
            #expect(ours.indices == expected, "\(mode)")
            let timesMatch = zip(ours.frames.map(\.time), expected.map { probe[$0] }).allSatisfy { abs($0 - $1) < 1e-6 }
            #expect(timesMatch, "\(mode): \(ours.frames.map(\.time))")
            #expect(ours.stats.seeks == 0)
        }
    }
}
