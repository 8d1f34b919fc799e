// Owner of an AVCodecContext opened as a video encoder for yuv420p pictures: libx264 when this
// FFmpeg has it, else the default H.264 encoder, else MPEG-4 part 2. One thread and fixed settings,
// so the same pictures always give the same bytes.
import Basics
import CFFmpeg
import VideoDecoding

final class EncoderContext {
    let context: UnsafeMutablePointer<AVCodecContext>
    let codecName: String

    /// - Parameters:
    ///   - quality: x264's constant rate factor (0–51, lower is better), or its constant quantiser
    ///     when `intraOnly`; for the fallback encoders a quantiser scale derived from it.
    ///   - intraOnly: every picture a keyframe at a constant quantiser, so each picture's bytes
    ///     depend on that picture alone, not on its neighbours or the rate control's history.
    init(width: Int, height: Int, fps: Int, quality: Int, intraOnly: Bool, globalHeader: Bool, path: String) throws {
        guard let codec = Self.findEncoder() else {
            throw DecodeError(
                .unsupportedCodec, path: path,
                "this FFmpeg has no video encoder: tried libx264, the default H.264 encoder and mpeg4")
        }
        let name = String(cString: codec.pointee.name)
        guard let context = avcodec_alloc_context3(codec) else {
            throw DecodeError(.ioError, path: path, "out of memory allocating the \(name) encoder")
        }
        self.context = context
        codecName = name
        context.pointee.width = Int32(width)
        context.pointee.height = Int32(height)
        context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        context.pointee.time_base = AVRational(num: 1, den: Int32(fps))
        context.pointee.framerate = AVRational(num: Int32(fps), den: 1)
        context.pointee.max_b_frames = 0
        context.pointee.gop_size = intraOnly ? 1 : Int32(fps)
        context.pointee.thread_count = 1
        // swscale's default RGB → YUV matrix is BT.601 limited range; say so in the stream.
        context.pointee.colorspace = AVCOL_SPC_SMPTE170M
        context.pointee.color_range = AVCOL_RANGE_MPEG
        context.pointee.flags |= AV_CODEC_FLAG_BITEXACT
        if globalHeader { context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        if name == "libx264" {
            av_opt_set(context.pointee.priv_data, "preset", "veryfast", 0)
            av_opt_set(context.pointee.priv_data, intraOnly ? "qp" : "crf", "\(quality)", 0)
            av_opt_set(context.pointee.priv_data, "x264-params", "threads=1", 0)
        } else {
            context.pointee.flags |= AV_CODEC_FLAG_QSCALE
            context.pointee.global_quality = Int32(max(2, min(31, quality / 6))) * FF_QP2LAMBDA
        }
        try avCheck(
            avcodec_open2(context, codec, nil), "avcodec_open2", path: path, kind: .unsupportedCodec,
            what: "could not open the \(name) encoder for \(width)x\(height) at \(fps) fps")
    }

    deinit {
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&owned)
    }

    private static func findEncoder() -> UnsafePointer<AVCodec>? {
        avcodec_find_encoder_by_name("libx264") ?? avcodec_find_encoder(AV_CODEC_ID_H264)
            ?? avcodec_find_encoder(AV_CODEC_ID_MPEG4)
    }

    /// Sends a picture, or nil to start draining. Returns FFmpeg's code.
    func send(_ frame: Frame?) -> Int32 { avcodec_send_frame(context, frame?.pointer) }

    /// Receives the next encoded packet. Returns FFmpeg's code.
    func receive(into packet: Packet) -> Int32 { avcodec_receive_packet(context, packet.pointer) }
}
