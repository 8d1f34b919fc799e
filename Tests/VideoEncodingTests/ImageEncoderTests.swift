// ImageEncoder's JPEG (libavcodec mjpeg, full-range yuvj420p) is a complete JPEG file that the
// ffmpeg CLI decodes back to the same size with pixels close to the source; higher quality numbers
// (coarser quantiser) give smaller files. PNG is lossless: ffmpeg gives back the exact bytes.
import Foundation
import TestSupport
import Testing

@testable import VideoDecoding
@testable import VideoEncoding

struct ImageEncoderTests {
    /// Decodes an image file with the ffmpeg CLI to packed RGB24.
    static func decodeWithFFmpeg(_ bytes: [UInt8], name: String) throws -> [UInt8] {
        let path = VideoEncoderTests.temporaryPath(name)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let result = try runProcess(
            "ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        #expect(result.status == 0, "ffmpeg: \(result.stderr)")
        return [UInt8](result.stdoutData)
    }

    @Test func jpegIsCompleteAndDecodesCloseToTheSource() throws {
        let (width, height) = (VideoEncoderTests.width, VideoEncoderTests.height)
        let source = VideoEncoderTests.pattern(3)
        let jpeg = try ImageEncoder(format: .jpg, width: width, height: height, quality: 2).encode(rgb: source)
        #expect(jpeg.starts(with: [0xFF, 0xD8, 0xFF]), "SOI marker")
        #expect(jpeg.suffix(2) == [0xFF, 0xD9], "EOI marker")
        let decoded = try Self.decodeWithFFmpeg(jpeg, name: "t.jpg")
        #expect(decoded.count == width * height * 3, "\(decoded.count) bytes: not \(width)x\(height) RGB")
        guard decoded.count == source.count else { return }
        let diffs = zip(source, decoded).map { abs(Int($0) - Int($1)) }
        let mean = Double(diffs.reduce(0, +)) / Double(diffs.count)
        #expect(mean < 4, "mean |diff| \(mean), max \(diffs.max() ?? 0)")
        let coarse = try ImageEncoder(format: .jpg, width: width, height: height, quality: 20).encode(rgb: source)
        #expect(coarse.count < jpeg.count, "quality 20: \(coarse.count) bytes, quality 2: \(jpeg.count)")
    }

    @Test func pngIsLossless() throws {
        let (width, height) = (VideoEncoderTests.width, VideoEncoderTests.height)
        let source = VideoEncoderTests.pattern(5)
        let png = try ImageEncoder(format: .png, width: width, height: height).encode(rgb: source)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let same = try Self.decodeWithFFmpeg(png, name: "t.png") == source
        #expect(same, "PNG round trip through ffmpeg changed the pixels")
    }
}
