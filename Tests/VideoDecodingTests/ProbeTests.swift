// VideoInfo of the fixtures against ffprobe's view of the same streams, and stream choice on
// files whose first stream is audio or a cover picture.
import TestSupport
import Testing

@testable import VideoDecoding

struct ProbeTests {
    @Test(arguments: [
        "h264.mp4", "mpeg4.avi", "vp9.webm", "hevc.mkv", "h264.mov", "odd.mkv", "yuv444.mp4", "tenbit.mkv", "gray.mkv",
        "vfr.mkv", "rotate90.mp4", "start3600.ts", "one_frame.mp4",
    ])
    func headersMatchFFprobe(clip: String) throws {
        let path = Oracle.fixture(clip)
        let info = try VideoReader(path: path).info
        #expect(info.codec == (try Oracle.streamField(path, "codec_name")))
        #expect(info.pixelFormat == (try Oracle.streamField(path, "pix_fmt")))
        #expect(
            "\(info.codedWidth)x\(info.codedHeight)"
                == (try Oracle.streamField(path, "width,height")).replacingOccurrences(of: ",", with: "x"))
        #expect(info.timeBase.description == (try Oracle.streamField(path, "time_base")))
        if let start = Double(try Oracle.streamField(path, "start_time")) {
            #expect(
                abs((info.startTime ?? .nan) - start) < 1e-6, "start \(String(describing: info.startTime)) vs \(start)")
        }
        if let frames = Int(try Oracle.streamField(path, "nb_frames")) {
            #expect(info.headerFrameCount == frames)
        }
    }

    @Test func rotationAndDisplayedSize() throws {
        let info = try VideoReader(path: Oracle.fixture("rotate90.mp4")).info
        #expect(info.rotation == 90 || info.rotation == 270)
        #expect(info.width == info.codedHeight && info.height == info.codedWidth)
    }

    @Test func startTime() throws {
        let info = try VideoReader(path: Oracle.fixture("start3600.ts")).info
        #expect(abs((info.startTime ?? 0) - 3600) < 1)
    }

    @Test func audioFirstPicksTheVideoStream() throws {
        let info = try VideoReader(path: Oracle.fixture("audio_first.mp4")).info
        #expect(info.streamIndex == 1)
        #expect(info.codec == (try Oracle.streamField(Oracle.fixture("audio_first.mp4"), "codec_name", stream: "1")))
    }

    @Test func coverArtIsSkipped() throws {
        let path = Oracle.fixture("cover_art.mp4")
        let info = try VideoReader(path: path).info
        let output = try Oracle.run(
            "ffprobe",
            [
                "-v", "error", "-select_streams", "\(info.streamIndex)", "-show_entries",
                "stream_disposition=attached_pic", "-of", "default=nw=1:nk=1", path,
            ])
        let disposition = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(disposition == "0", "picked stream \(info.streamIndex) with attached_pic=\(disposition)")
        #expect(try decode(path, FrameRequest()).frames.count > 1)
    }

    @Test(arguments: ["h264.mp4", "vfr.mkv", "corrupt_mid.ts", "size_change.ts", "truncated.mp4"])
    func countedFramesMatchFFprobe(clip: String) throws {
        let path = Oracle.fixture(clip)
        let count = try VideoReader(path: path).countFrames()
        let probe = try Oracle.frameTimestamps(path)
        #expect(count.decoded == probe.count, "\(clip): decoded \(count.decoded), ffprobe \(probe.count)")
    }

    @Test func variableFrameRateIsDetected() throws {
        #expect(try VideoReader(path: Oracle.fixture("vfr.mkv")).countFrames().variableFrameRate == true)
        #expect(try VideoReader(path: Oracle.fixture("h264.mp4")).countFrames().variableFrameRate == false)
    }
}
