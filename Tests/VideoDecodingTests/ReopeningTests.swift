// Inputs opened again after the probe skip `avformat_find_stream_info` where the container's
// header describes the streams (MP4/MOV, Matroska/WebM): the packet timeline they read must be
// the one a fully probed open reads, and other containers must still be probed. And the decoder
// may skip every non-keyframe only when every wanted frame is a keyframe.
import CFFmpeg
import Foundation
import TestSupport
import Testing

@testable import VideoDecoding

struct ReopeningTests {
    @Test(arguments: [
        "h264.mp4", "h264.mov", "long_gop.mp4", "vfr.mp4", "vfr.mkv", "hevc.mkv", "vp9.webm", "rotate90.mp4",
        "audio_first.mp4", "cover_art.mp4", "odd.mkv", "tenbit.mkv", "yuv444.mp4", "start3600.ts", "mpeg4.avi",
    ])
    func aReopenedInputReadsTheProbedTimeline(name: String) throws {
        let path = Oracle.fixture(name)
        let info = try VideoReader(path: path).info
        let (options, watchdog) = (DecodeOptions(), Watchdog(seconds: nil))
        func scan(_ reopening: Bool) throws -> Timeline {
            try Timeline.scan(
                input: .file(path), streamIndex: info.streamIndex, options: options, watchdog: watchdog,
                reopening: reopening)
        }
        let (reopened, probed) = (try scan(true), try scan(false))
        #expect(reopened.ticks == probed.ticks, "\(name)")
        #expect(reopened.keyframes == probed.keyframes, "\(name)")
        #expect(reopened.count > 0)
        let demuxer = try Demuxer(input: .file(path), watchdog: watchdog)
        let header = withExtendedLifetime(demuxer) { Demuxer.headerIsComplete(demuxer.context) }
        let expected = [".mp4", ".mov", ".mkv", ".webm"].contains { name.hasSuffix($0) }
        #expect(header == expected, "\(name): the header alone is \(header ? "" : "not ")enough")
    }

    /// A reader opened only to decode (`.forDecoding`, as extraction opens) skips the stream-info
    /// pass where the header suffices: its info differs from the full probe's at most in the pixel
    /// format and the start time, it gives the same frames byte for byte, exact and snapped, and
    /// other containers are probed in full.
    @Test(arguments: ["h264.mp4", "vfr.mkv", "hevc.mkv", "rotate90.mp4", "cover_art.mp4", "start3600.ts", "mpeg4.avi"])
    func aReaderOpenedToDecodeGivesTheSameFrames(name: String) throws {
        let path = Oracle.fixture(name)
        let options = DecodeOptions(threads: 1)
        let (full, light) = (
            try VideoReader(path: path, options: options),
            try VideoReader(
                path: path, options: options, probe: .forDecoding)
        )
        let demuxer = try Demuxer(input: .file(path), watchdog: Watchdog(seconds: nil))
        let headerSuffices = withExtendedLifetime(demuxer) { Demuxer.headerIsComplete(demuxer.context) }
        var info = light.info
        if headerSuffices {
            (info.pixelFormat, info.startTime) = (full.info.pixelFormat, full.info.startTime)
        }
        #expect(info == full.info, "\(name)")
        if name == "h264.mp4" { #expect(light.info.pixelFormat == "unknown", "the stream-info pass was skipped") }
        if name.hasSuffix(".ts") || name.hasSuffix(".avi") { #expect(!headerSuffices, "\(name)") }
        for snap in [Snap.exact, .keyframe] {
            let request = FrameRequest(sampling: .uniform(5), geometry: .size(width: 48, height: 32), snap: snap)
            func frames(_ reader: VideoReader) throws -> [RGBFrame] {
                let frames = try reader.frames(request)
                var all: [RGBFrame] = []
                while let frame = try frames.next() { all.append(frame) }
                return all
            }
            let (expected, got) = (try frames(full), try frames(light))
            #expect(!expected.isEmpty)
            #expect(got.map(\.pixels) == expected.map(\.pixels), "\(name) \(snap)")
            #expect(got.map(\.timestamp) == expected.map(\.timestamp), "\(name) \(snap)")
        }
    }

    @Test func onlyKeyframesWantedSkipsEveryOtherPicture() {
        // Display order I0 B1 B2 P3 | I4 …: keyframes 0 and 4.
        let timeline = Timeline.fromPackets([0, 3, 1, 2, 4, 7, 5, 6].map { (pts: Int64($0), key: $0 % 4 == 0) })
        #expect(timeline.keyframes == [0, 4])
        #expect(timeline.skipLevel(for: [0, 4]) == AVDISCARD_NONKEY)
        #expect(timeline.skipLevel(for: [4]) == AVDISCARD_NONKEY)
        #expect(timeline.skipLevel(for: [0, 3]) == AVDISCARD_NONREF)
        #expect(timeline.skipLevel(for: []) == AVDISCARD_NONREF)
        let decoded = Timeline(ticks: [0, 1, 2], keyframeOfFrame: nil, keyframes: nil)
        #expect(decoded.skipLevel(for: [0]) == AVDISCARD_NONREF, "no keyframes known: nothing more is skipped")
    }
}
