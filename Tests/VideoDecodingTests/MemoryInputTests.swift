// A video held in memory (read through a custom AVIOContext, `MemoryIO`) decodes exactly as the
// same bytes read from the file: every sampling mode, with seeking, segments side by side and the
// sequential fallback, on containers that seek by index (mp4, mkv) and by estimate (ts). Bad bytes
// give the same errors, naming the buffer.
import Foundation
import TestSupport
import Testing

@testable import VideoDecoding

struct MemoryInputTests {
    static func fileBytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func decodeBytes(
        _ bytes: [UInt8], name: String, _ request: FrameRequest, options: DecodeOptions
    ) throws -> Decoded {
        let reader = try VideoReader(bytes: bytes, name: name, options: options).frames(request)
        var frames: [RGBFrame] = []
        while let frame = try reader.next() { frames.append(frame) }
        return Decoded(frames: frames, stats: reader.stats)
    }

    @Test(arguments: ["h264.mp4", "long_gop.mp4", "hevc.mkv", "vp9.webm", "start3600.ts", "vfr.mkv", "truncated.mp4"])
    func memoryDecodesLikeTheFile(clip: String) throws {
        let path = Oracle.fixture(clip)
        let bytes = try Self.fileBytes(path)
        let fromFile = try VideoReader(path: path)
        let fromMemory = try VideoReader(bytes: bytes, name: path)
        var fileInfo = fromFile.info
        fileInfo.path = fromMemory.info.path
        #expect(fromMemory.info == fileInfo)
        var split = 0
        for mode in SegmentDecoderTests.modes {
            for threads in [1, 2] {
                let request = FrameRequest(sampling: mode, geometry: .size(width: 40, height: 30))
                let options = DecodeOptions(threads: threads)
                let file = try decode(path, request, options: options)
                let memory = try Self.decodeBytes(bytes, name: path, request, options: options)
                #expect(memory.indices == file.indices, "\(clip) \(mode) threads \(threads)")
                #expect(memory.timestamps == file.timestamps, "\(clip) \(mode) threads \(threads)")
                #expect(memory.bytes == file.bytes, "\(clip) \(mode) threads \(threads)")
                #expect(memory.stats.segmentJobs == file.stats.segmentJobs)
                split += memory.stats.segmentJobs
            }
        }
        if ["h264.mp4", "long_gop.mp4", "vp9.webm"].contains(clip) {
            #expect(split > 0, "\(clip): the segment decoders never ran on the buffer")
        }
        #expect(try fromMemory.countFrames() == fromFile.countFrames())
    }

    @Test func badBytesGiveTheFilesErrorsNamingTheBuffer() throws {
        let cases: [(String, DecodeError.Kind)] = [
            ("random.mp4", .notAVideo), ("audio_only.m4a", .noVideoStream), ("truncated_nomoov.mp4", .notAVideo),
        ]
        for (clip, kind) in cases {
            let bytes = try Self.fileBytes(Oracle.fixture(clip))
            #expect {
                _ = try VideoReader(bytes: bytes, name: "buffer:\(clip)")
            } throws: { error in
                guard let error = error as? DecodeError else { return false }
                return error.kind == kind && error.description.contains("buffer:\(clip)")
            }
        }
        #expect(throws: DecodeError.self) { _ = try VideoReader(bytes: [], name: "empty") }
    }

    @Test func pixelCapAppliesToBuffers() throws {
        let bytes = try Self.fileBytes(Oracle.fixture("h264.mp4"))
        #expect {
            _ = try VideoReader(bytes: bytes, name: "big", options: DecodeOptions(maxPixels: 100))
        } throws: { ($0 as? DecodeError)?.kind == .tooLarge }
    }
}
