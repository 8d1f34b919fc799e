// Keyframe snapping (`FrameRequest.snap = .keyframe`) against ffprobe: the frames chosen are, for
// each frame exact sampling picks, the keyframe nearest to it in time (the earlier on a tie),
// computed here from `ffprobe -show_frames`' timestamps and key flags; their timestamps are the keyframes'
// own; their pixels equal the ffmpeg CLI's decode of those frames; only about those pictures are
// decoded. On an all-intra clip snapping changes nothing; a stream whose packets carry no
// timestamps falls back to exact sampling and says so.
import Foundation
import TestSupport
import Testing

@testable import VideoDecoding

struct KeyframeSnapTests {
    /// Every decoded frame's best-effort timestamp and key flag, in presentation order.
    static func probeFrames(_ path: String) throws -> [(time: Double, key: Bool)] {
        let data = try Oracle.run(
            "ffprobe",
            [
                "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=best_effort_timestamp_time,key_frame",
                "-of", "csv=p=0", path,
            ])
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 2, let key = Int(fields[0]), let time = Double(fields[1]) else { return nil }
            return (time, key == 1)
        }
    }

    /// The oracle's snapping: targets as the sampling defines them, the frame exact sampling takes
    /// for each (fps: the last at or before it; uniform, segments: the nearest, earlier on a tie),
    /// then the keyframe nearest to that frame.
    static func expectedIndices(_ sampling: Sampling, frames: [(time: Double, key: Bool)]) -> [Int] {
        let times = frames.map(\.time)
        let first = times[0]
        let span = times[times.count - 1] - first
        var targets: [Double] = []
        switch sampling {
        case .uniform(let n): targets = (0..<n).map { first + Double($0) * span / Double(max(n - 1, 1)) }
        case .segments(let n): targets = (0..<n).map { first + (Double($0) + 0.5) * span / Double(n) }
        case .fps(let rate):
            var k = 0
            while first + Double(k) / rate <= times[times.count - 1] + 1e-6 {
                targets.append(first + Double(k) / rate)
                k += 1
            }
        default: return []
        }
        let exact = targets.map { t -> Int in
            if case .fps = sampling { return times.lastIndex { $0 <= t + 1e-6 } ?? 0 }
            var best = 0
            for i in times.indices where abs(times[i] - t) < abs(times[best] - t) - 1e-6 { best = i }
            return best
        }
        let keys = frames.indices.filter { frames[$0].key }
        return exact.map { i in
            var best = keys[0]
            for k in keys where abs(times[k] - times[i]) < abs(times[best] - times[i]) - 1e-6 { best = k }
            return best
        }
    }

    static let samplings: [Sampling] = [.uniform(8), .fps(2), .segments(5), .uniform(1)]

    @Test(arguments: ["long_gop.mp4", "h264.mp4", "vfr.mkv", "start3600.ts", "hevc.mkv", "vp9.webm"])
    func snappedFramesAreTheNearestKeyframes(clip: String) throws {
        let path = Oracle.fixture(clip)
        let frames = try Self.probeFrames(path)
        let geometry = Geometry.size(width: 40, height: 30)
        let reader = try VideoReader(path: path)
        let cli = try Oracle.rgbFrames(path, filter: ffmpegFilter(geometry, .bilinear, info: reader.info))
        let frameBytes = 40 * 30 * 3
        #expect(cli.count == frames.count * frameBytes, "\(clip): ffprobe and ffmpeg count frames alike")
        for sampling in Self.samplings {
            for threads in [1, 2] {
                let snapped = try decode(
                    path, FrameRequest(sampling: sampling, geometry: geometry, snap: .keyframe),
                    options: DecodeOptions(threads: threads))
                let expected = Self.expectedIndices(sampling, frames: frames)
                let label = "\(clip) \(sampling) threads \(threads)"
                #expect(snapped.indices == expected, "\(label)")
                let times = expected.map { frames[$0].time }
                #expect(
                    zip(snapped.timestamps, times).allSatisfy { abs($0 - $1) < 1e-6 }
                        && snapped.timestamps.count == times.count, "\(label): \(snapped.timestamps) vs \(times)")
                #expect(snapped.stats.snapFallbacks == 0)
                for (frame, index) in zip(snapped.frames, expected) {
                    let start = index * frameBytes
                    #expect(
                        Array(cli[start..<(start + frameBytes)]) == frame.pixels, "\(label): frame \(index)")
                }
                // Only the keyframes come out of the decoder (the others are skipped, AVDISCARD_NONKEY),
                // where the container seeks by index; MPEG-TS seeks by estimate, lands earlier and
                // decodes on.
                let distinct = Set(expected).count
                if !clip.hasSuffix(".ts") {
                    #expect(
                        snapped.stats.framesDecoded == distinct,
                        "\(label): \(snapped.stats.framesDecoded) for \(distinct)")
                }
            }
        }
    }

    @Test func longGOPDecodesFewPicturesAndSaysKeyframesAreSparse() throws {
        let path = Oracle.fixture("long_gop.mp4")
        let (exact, snapped) = try Self.exactAndSnapped(path, .uniform(8), threads: 1)
        #expect(snapped.stats.framesDecoded < exact.stats.framesDecoded, "\(snapped.stats) vs \(exact.stats)")
        let keyframes = try Self.probeFrames(path).filter(\.key).count
        // Fewer keyframes than targets: snapping repeats them, and says so.
        if keyframes < 8 { #expect(snapped.stats.coarseKeyframeInterval != nil, "\(snapped.stats)") }
    }

    /// The same sampling decoded exactly and with keyframe snapping, at 40x30.
    static func exactAndSnapped(
        _ path: String, _ sampling: Sampling, threads: Int = 0
    ) throws -> (exact: Decoded, snapped: Decoded) {
        var request = FrameRequest(sampling: sampling, geometry: .size(width: 40, height: 30))
        let exact = try decode(path, request, options: DecodeOptions(threads: threads))
        request.snap = .keyframe
        return (exact, try decode(path, request, options: DecodeOptions(threads: threads)))
    }

    /// A testsrc2 clip encoded by the ffmpeg CLI with `encoder` options into `dir/name`.
    static func makeClip(_ dir: String, _ name: String, seconds: Int, _ encoder: [String]) throws -> String {
        let path = dir + "/" + name
        _ = try Oracle.run(
            "ffmpeg",
            ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25:duration=\(seconds)"]
                + ["-c:v", "libx264", "-pix_fmt", "yuv420p"] + encoder + [path])
        return path
    }

    @Test func allIntraClipsSnapToExactlyTheSameFrames() throws {
        let dir = try TemporaryDirectory.make("snap")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try Self.makeClip(dir, "intra.mp4", seconds: 3, ["-g", "1"])
        for sampling in Self.samplings {
            let (exact, snapped) = try Self.exactAndSnapped(path, sampling)
            #expect(snapped.indices == exact.indices && snapped.bytes == exact.bytes, "\(sampling)")
            #expect(snapped.stats.coarseKeyframeInterval == nil)
        }
    }

    @Test func aStreamWithoutTimestampsFallsBackToExactSampling() throws {
        let dir = try TemporaryDirectory.make("snap")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try Self.makeClip(dir, "raw.h264", seconds: 2, ["-g", "10", "-bf", "0", "-f", "h264"])
        let (exact, snapped) = try Self.exactAndSnapped(path, .uniform(5))
        #expect(snapped.stats.snapFallbacks == 1, "\(snapped.stats)")
        #expect(snapped.indices == exact.indices && snapped.bytes == exact.bytes)
    }

    /// `vidact probe --json`'s keyframe figures against ffprobe's packet key flags.
    @Test(arguments: ["long_gop.mp4", "h264.mp4", "vfr.mkv", "start3600.ts", "hevc.mkv", "vp9.webm", "mpeg4.avi"])
    func keyframeSummaryMatchesFFprobesPackets(clip: String) throws {
        let path = Oracle.fixture(clip)
        let data = try Oracle.run(
            "ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", path])
        let keyTimes = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap {
            line -> Double? in
            let fields = line.split(separator: ",")
            guard fields.count >= 2, fields[1].contains("K"), let time = Double(fields[0]) else { return nil }
            return time
        }.sorted()
        let summary = try #require(try VideoReader(path: path).keyframes())
        #expect(summary.count == keyTimes.count, "\(clip)")
        let intervals = zip(keyTimes.dropFirst(), keyTimes).map { $0 - $1 }
        if let mean = summary.meanInterval, let largest = summary.maxInterval, !intervals.isEmpty {
            #expect(abs(mean - intervals.reduce(0, +) / Double(intervals.count)) < 1e-4, "\(clip)")
            #expect(abs(largest - (intervals.max() ?? 0)) < 1e-4, "\(clip)")
        } else {
            #expect(intervals.isEmpty && summary.meanInterval == nil, "\(clip)")
        }
    }

    /// Motion references (each sample's predecessor) are decoded without in-loop deblocking when
    /// nothing references them; the samples themselves must not change, byte for byte, and the
    /// references are there. long_gop.mp4 has B-frames (210 of 300), so most predecessors are
    /// non-reference pictures. (Kept here with the other skipping checks.)
    @Test(arguments: [1, 2])
    func motionReferencesLeaveTheSamplesUnchanged(threads: Int) throws {
        let path = Oracle.fixture("long_gop.mp4")
        let options = DecodeOptions(threads: threads)
        let plain = try decode(path, FrameRequest(sampling: .fps(3)), options: options)
        let withReferences = try decode(path, FrameRequest(sampling: .fps(3), motionReferences: true), options: options)
        let samples = withReferences.frames.filter(\.isSample)
        #expect(samples.map(\.frameIndex) == plain.indices)
        #expect(samples.flatMap(\.pixels) == plain.bytes)
        let references = withReferences.frames.filter { !$0.isSample }.map(\.frameIndex)
        #expect(!references.isEmpty && references.allSatisfy { plain.indices.contains($0 + 1) })
    }

    @Test func snappingNeedsSamplingByTimeAndNoMotion() throws {
        let path = Oracle.fixture("h264.mp4")
        let reader = try VideoReader(path: path)
        #expect(throws: DecodeError.self) { _ = try reader.frames(FrameRequest(sampling: .stride(2), snap: .keyframe)) }
        #expect(throws: DecodeError.self) {
            _ = try reader.frames(FrameRequest(sampling: .uniform(4), motionReferences: true, snap: .keyframe))
        }
        #expect(FrameRequest(sampling: .uniform(8), snap: .keyframe).samplingDescription == "uniform:8,snap:keyframe")
        #expect(FrameRequest(sampling: .uniform(8)).samplingDescription == "uniform:8")
    }
}
