// Decoded and converted RGB frames are byte-equal to the ffmpeg CLI doing the same work
// (`ffmpeg -i CLIP -vf scale=W:H:flags=F -pix_fmt rgb24 -f rawvideo -`), across codecs,
// containers, pixel formats, odd sizes, rotation, crops and the three interpolations.
import TestSupport
import Testing

@testable import VideoDecoding

struct ConversionTests {
    static let clips = [
        "h264.mp4", "mpeg4.avi", "vp9.webm", "hevc.mkv", "h264.mov", "odd.mkv", "yuv444.mp4", "tenbit.mkv",
        "gray.mkv", "rotate90.mp4", "start3600.ts", "vfr.mkv",
    ]
    static let geometries: [(Geometry, Interpolation)] = [
        (.native, .bilinear), (.size(width: 224, height: 224), .bilinear), (.size(width: 97, height: 61), .bicubic),
        (.size(width: 50, height: 40), .area), (.shortSide(64, crop: 56), .bilinear),
    ]

    @Test(arguments: clips)
    func byteEqualToTheFFmpegCLI(clip: String) throws {
        let path = Oracle.fixture(clip)
        let info = try VideoReader(path: path).info
        for (geometry, interpolation) in Self.geometries {
            let ours = try decode(path, FrameRequest(geometry: geometry, interpolation: interpolation))
            let filter = ffmpegFilter(geometry, interpolation, info: info)
            let reference = try Oracle.rgbFrames(path, filter: filter)
            #expect(!ours.frames.isEmpty, "\(clip): no frames")
            let same = ours.bytes == reference
            #expect(same, "\(clip) \(filter): \(ours.frames.count) frames, \(byteDifference(ours.bytes, reference))")
        }
    }

    @Test func midStreamSizeChangeIsFollowed() throws {
        let path = Oracle.fixture("size_change.ts")
        let native = try decode(path, FrameRequest())
        let sizes = Set(native.frames.map { "\($0.width)x\($0.height)" })
        #expect(sizes.count == 2, "sizes seen: \(sizes)")
        let fixed = try decode(path, FrameRequest(geometry: .size(width: 64, height: 48)))
        let reference = try Oracle.rgbFrames(path, filter: "scale=64:48:flags=bilinear")
        let same = fixed.bytes == reference
        #expect(same, "\(byteDifference(fixed.bytes, reference))")
    }

    @Test func rotationCanBeIgnored() throws {
        let path = Oracle.fixture("rotate90.mp4")
        let info = try VideoReader(path: path).info
        #expect(info.rotation != 0)
        let ours = try decode(path, FrameRequest(applyRotation: false))
        #expect(ours.frames.first?.width == info.codedWidth)
        let reference = try Oracle.run(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-noautorotate", "-i", path, "-vf", "scale=iw:ih:flags=bilinear",
                "-pix_fmt", "rgb24", "-f", "rawvideo", "-",
            ])
        let same = ours.bytes == [UInt8](reference)
        #expect(same, "\(byteDifference(ours.bytes, [UInt8](reference)))")
    }

    @Test func rgbRotationFallbackTurnsPixelsClockwise() {
        // 3x2 picture, pixel value = its index; rotated 90° clockwise it becomes 2x3.
        let source = (0..<6).flatMap { [UInt8($0), UInt8($0), UInt8($0)] }
        let turned = RGBRotation.rotate(source, width: 3, height: 2, clockwise: 90)
        #expect(stride(from: 0, to: turned.count, by: 3).map { turned[$0] } == [3, 0, 4, 1, 5, 2])
        let back = RGBRotation.rotate(turned, width: 2, height: 3, clockwise: 270)
        #expect(back == source)
        let half = RGBRotation.rotate(source, width: 3, height: 2, clockwise: 180)
        #expect(stride(from: 0, to: half.count, by: 3).map { half[$0] } == [5, 4, 3, 2, 1, 0])
    }
}
