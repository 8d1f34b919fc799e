// VideoEncoder writes what it is given: the file decodes (by vidact and by ffprobe) to the same
// number of frames at the same size, timestamps k / fps, pixels close to the source, as H.264
// yuv420p; and the same frames give the same bytes.
import Foundation
import TestSupport
import Testing

@testable import VideoDecoding
@testable import VideoEncoding

struct VideoEncoderTests {
    // libx264 reports every file on stderr at FFmpeg's default level.
    init() { FFmpegLog.setLevel(.error) }

    static let (width, height, fps, count) = (64, 48, 10, 12)

    /// A smooth moving colour pattern: frame `k` of `width` x `height`, packed RGB24.
    static func pattern(_ k: Int) -> [UInt8] {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let red = 128 + 100 * sin(Double(x + 3 * k) / 9)
                let green = 128 + 100 * cos(Double(y - 2 * k) / 7)
                let blue = Double((x + y + 5 * k) * 2 % 256) * 0.5 + 60
                pixels += [UInt8(red), UInt8(green), UInt8(blue)]
            }
        }
        return pixels
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vidact-encoder-\(UUID().uuidString)-\(name)")
            .path
    }

    static func encode(to path: String) throws -> String {
        let encoder = try VideoEncoder(path: path, width: width, height: height, fps: fps)
        for k in 0..<count { try encoder.append(rgb: pattern(k)) }
        try encoder.finish()
        #expect(encoder.framesWritten == count)
        return encoder.codecName
    }

    static func psnr(_ a: [UInt8], _ b: [UInt8]) -> Double {
        precondition(a.count == b.count)
        var sum = 0.0
        for i in a.indices {
            let d = Double(a[i]) - Double(b[i])
            sum += d * d
        }
        let mse = sum / Double(a.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    @Test func roundTripKeepsFramesSizeTimestampsAndPixels() throws {
        let path = Self.temporaryPath("round.mp4")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let codec = try Self.encode(to: path)
        #expect(codec == "libx264")
        let reader = try VideoReader(path: path).frames(FrameRequest())
        var frames: [RGBFrame] = []
        while let frame = try reader.next() { frames.append(frame) }
        let decoded = (frames: frames, count: frames.count)
        #expect(decoded.frames.count == Self.count)
        for (k, frame) in decoded.frames.enumerated() {
            #expect(frame.width == Self.width && frame.height == Self.height)
            #expect(abs(frame.timestamp - Double(k) / Double(Self.fps)) < 1e-6, "frame \(k) at \(frame.timestamp)")
            let quality = Self.psnr(frame.pixels, Self.pattern(k))
            #expect(quality > 30, "frame \(k): PSNR \(quality) dB")
        }
        // An independent reader agrees on codec, pixel format and frame count.
        #expect(try Oracle.streamField(path, "codec_name") == "h264")
        #expect(try Oracle.streamField(path, "pix_fmt") == "yuv420p")
        #expect(try Oracle.frameTimestamps(path).count == Self.count)
    }

    @Test func theSameFramesGiveTheSameBytes() throws {
        let (first, second) = (Self.temporaryPath("a.mp4"), Self.temporaryPath("b.mp4"))
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        _ = try Self.encode(to: first)
        _ = try Self.encode(to: second)
        let a = try Data(contentsOf: URL(fileURLWithPath: first))
        let b = try Data(contentsOf: URL(fileURLWithPath: second))
        #expect(a.count > 1000)
        let same = a == b
        #expect(same, "\(a.count) vs \(b.count) bytes")
    }

    @Test func oddSizesAreRefused() throws {
        let path = Self.temporaryPath("odd.mp4")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try VideoEncoder(path: path, width: 63, height: 48, fps: 10)
        } throws: { ($0 as? DecodeError)?.kind == .invalidRequest }
    }

    @Test func anUnwritableFolderIsAnIOErrorNamingTheFile() throws {
        let path = "/nonexistent-vidact-folder/clip.mp4"
        #expect {
            _ = try VideoEncoder(path: path, width: 64, height: 48, fps: 10)
        } throws: { error in
            guard let error = error as? DecodeError else { return false }
            return error.path == path && (error.kind == .fileNotFound || error.kind == .ioError)
        }
    }
}
