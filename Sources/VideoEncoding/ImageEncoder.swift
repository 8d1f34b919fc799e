// Encodes RGB24 pictures as PNG or JPEG files with libavcodec's png and mjpeg encoders, for
// `vidact frames` and report thumbnails. Owner of the encoder's AVCodecContext.
import Basics
import CFFmpeg
import VideoDecoding

/// Still-image file formats vidact writes.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png
    case jpg

    public var fileExtension: String { rawValue }
}

/// Encodes pictures of one size to one image format.
public final class ImageEncoder {
    public let format: ImageFormat
    public let width: Int
    public let height: Int
    private let context: UnsafeMutablePointer<AVCodecContext>
    private let toYUV: PictureConverter?
    private let frame = Frame()
    private let packet = Packet()

    /// - Parameter quality: JPEG quantiser scale, 2 (best) to 31; ignored for PNG.
    public init(format: ImageFormat, width: Int, height: Int, quality: Int = 2) throws {
        precondition(width > 0 && height > 0, "ImageEncoder: size \(width)x\(height)")
        self.format = format
        self.width = width
        self.height = height
        let id = format == .png ? AV_CODEC_ID_PNG : AV_CODEC_ID_MJPEG
        let what = "\(format.rawValue) encoder"
        guard let codec = avcodec_find_encoder(id) else {
            throw DecodeError(.unsupportedCodec, path: what, "this FFmpeg has no \(what)")
        }
        guard let context = avcodec_alloc_context3(codec) else {
            throw DecodeError(.ioError, path: what, "out of memory allocating the \(what)")
        }
        self.context = context
        // JPEG stores full-range YUV 4:2:0; PNG stores the RGB bytes as they are.
        let pixelFormat = format == .png ? AV_PIX_FMT_RGB24 : AV_PIX_FMT_YUVJ420P
        context.pointee.width = Int32(width)
        context.pointee.height = Int32(height)
        context.pointee.pix_fmt = pixelFormat
        context.pointee.time_base = AVRational(num: 1, den: 25)
        if format == .jpg {
            context.pointee.flags |= AV_CODEC_FLAG_QSCALE
            context.pointee.global_quality = Int32(quality) * FF_QP2LAMBDA
            toYUV = try PictureConverter(width: width, height: height, to: pixelFormat)
        } else {
            toYUV = nil
        }
        try avCheck(
            avcodec_open2(context, codec, nil), "avcodec_open2", path: what, kind: .unsupportedCodec,
            what: "could not open the \(what)")
        frame.pointer.pointee.format = pixelFormat.rawValue
        frame.pointer.pointee.width = Int32(width)
        frame.pointer.pointee.height = Int32(height)
        frame.pointer.pointee.quality = context.pointee.global_quality
        try avCheck(
            av_frame_get_buffer(frame.pointer, 0), "av_frame_get_buffer", path: what, kind: .ioError,
            what: "could not allocate a picture")
    }

    deinit {
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&owned)
    }

    /// The encoded file bytes of one packed RGB24 picture of this encoder's size.
    public func encode(rgb pixels: [UInt8]) throws -> [UInt8] {
        precondition(
            pixels.count == width * height * 3, "ImageEncoder.encode: \(pixels.count) bytes for \(width)x\(height)")
        let what = "\(format.rawValue) encoder"
        try avCheck(
            av_frame_make_writable(frame.pointer), "av_frame_make_writable", path: what, kind: .ioError,
            what: "picture not writable")
        if let toYUV {
            toYUV.convert(rgb: pixels, into: frame.pointer)
        } else {
            copyRGB(pixels)
        }
        try avCheck(
            avcodec_send_frame(context, frame.pointer), "avcodec_send_frame", path: what, kind: .ioError,
            what: "encoding failed")
        var bytes: [UInt8] = []
        while true {
            let code = avcodec_receive_packet(context, packet.pointer)
            if code == FFmpegCodes.again || code == FFmpegCodes.eof { break }
            try avCheck(code, "avcodec_receive_packet", path: what, kind: .ioError, what: "encoding failed")
            let p = packet.pointer.pointee
            if let data = p.data { bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(p.size))) }
            packet.unref()
        }
        return bytes
    }

    private func copyRGB(_ pixels: [UInt8]) {
        let f = frame.pointer.pointee
        guard let base = f.data.0 else { preconditionFailure("ImageEncoder: picture without data") }
        let stride = Int(f.linesize.0)
        pixels.withUnsafeBufferPointer { src in
            guard let from = src.baseAddress else { return }
            for row in 0..<height {
                (base + row * stride).update(from: from + row * width * 3, count: width * 3)
            }
        }
    }
}
