// Report thumbnails from a real video (ffmpeg's testsrc): the run's sampling when it picks a few
// frames, else uniform:8; each JPEG is complete (FFD8 … FFD9) and ffprobe reads it at the
// thumbnail size (height 48, aspect kept); a file that is not a video gives no frames and a note.
import Foundation
import TestSupport
import Testing
import VideoDecoding

@testable import Reports

struct ReportThumbnailsTests {
    @Test func samplingFollowsTheRunWhenItIsSmall() {
        #expect(ReportThumbnails(runSampling: .uniform(4)).sampling == .uniform(4))
        #expect(ReportThumbnails(runSampling: .segments(3)).sampling == .segments(3))
        #expect(ReportThumbnails(runSampling: .fps(1)).sampling == .uniform(8))
        #expect(ReportThumbnails(runSampling: .uniform(64)).sampling == .uniform(8))
        #expect(ReportThumbnails().sampling == .uniform(8))
    }

    @Test func stripOfARealVideoIsSmallJPEGsAtTheRightSize() throws {
        let dir = NSTemporaryDirectory() + "vidact-thumbs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let video = dir + "/v.mp4"
        let made = try runProcess(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2",
                "-pix_fmt", "yuv420p", video,
            ])
        #expect(made.status == 0, "\(made.stderr)")
        let (jpegs, note) = ReportThumbnails(height: 48, maximumFrames: 8, runSampling: .uniform(5)).strip(path: video)
        #expect(note == nil)
        #expect(jpegs.count == 5)
        for (index, jpeg) in jpegs.enumerated() {
            #expect(jpeg.starts(with: [0xFF, 0xD8]) && jpeg.suffix(2) == [0xFF, 0xD9], "JPEG \(index) markers")
            let file = dir + "/t\(index).jpg"
            try Data(jpeg).write(to: URL(fileURLWithPath: file))
            let probe = try runProcess(
                "ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", file])
            #expect(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "mjpeg,64,48", "\(probe.stdout)")
        }
    }

    @Test func aFileThatIsNotAVideoGivesANoteNotAnError() throws {
        let dir = NSTemporaryDirectory() + "vidact-thumbs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "not a video".write(toFile: dir + "/x.mp4", atomically: true, encoding: .utf8)
        let (jpegs, note) = ReportThumbnails().strip(path: dir + "/x.mp4")
        #expect(jpegs.isEmpty)
        #expect(note?.hasPrefix("thumbnails incomplete: ") == true, "\(note ?? "nil")")
        let (none, missing) = ReportThumbnails().strip(path: dir + "/gone.mp4")
        #expect(none.isEmpty && missing != nil)
    }
}
