// Owner of a SwsContext that turns packed RGB24 into another pixel format of the same size, for
// encoders that do not take RGB (JPEG, H.264). SWS_BITEXACT: without it swscale may take a
// different SIMD path for a source buffer of another alignment, so the same frames encoded twice in
// one process came out different about one time in ten (VideoEncoderTests caught it); the
// synthetic datasets promise byte-identical clips.
import Basics
import CFFmpeg
import VideoDecoding

final class PictureConverter {
    private let context: OpaquePointer
    let width: Int
    let height: Int

    init(width: Int, height: Int, to format: AVPixelFormat, subject: String = "image encoder") throws {
        self.width = width
        self.height = height
        guard
            let context = sws_getContext(
                Int32(width), Int32(height), AV_PIX_FMT_RGB24, Int32(width), Int32(height), format,
                Int32(SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP | SWS_BITEXACT), nil, nil, nil)
        else {
            throw DecodeError(
                .unsupportedCodec, path: subject,
                "swscale cannot convert rgb24 to pixel format \(format.rawValue)")
        }
        self.context = context
    }

    deinit { sws_freeContext(context) }

    func convert(rgb pixels: [UInt8], into frame: UnsafeMutablePointer<AVFrame>) {
        pixels.withUnsafeBufferPointer { src in
            var sources: [UnsafePointer<UInt8>?] = [src.baseAddress, nil, nil, nil]
            var strides: [Int32] = [Int32(width * 3), 0, 0, 0]
            withUnsafeMutablePointer(to: &frame.pointee.data) { dataTuple in
                withUnsafePointer(to: &frame.pointee.linesize) { lineTuple in
                    dataTuple.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { data in
                        lineTuple.withMemoryRebound(to: Int32.self, capacity: 8) { lines in
                            _ = sws_scale(context, &sources, &strides, 0, Int32(height), data, lines)
                        }
                    }
                }
            }
        }
    }
}
