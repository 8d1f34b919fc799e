// Writes packed RGB24 pictures as a video file: converted to yuv420p with swscale, encoded with
// H.264 (libx264, one thread, fixed settings; see `EncoderContext`) and muxed into mp4 with
// timestamps k / fps. The same pictures give a byte-identical file. Used to render synthetic
// datasets; the file is written in place, so callers that need atomicity write to a temporary
// name and rename.
import Basics
import CFFmpeg
import VideoDecoding

/// An open video file being written, one picture at a time.
public final class VideoEncoder {
    public let path: String
    public let width: Int
    public let height: Int
    public let fps: Int
    /// The libavcodec encoder in use: "libx264", another H.264 encoder, or "mpeg4".
    public var codecName: String { encoder.codecName }
    public private(set) var framesWritten = 0
    private let container: OutputContainer
    private let encoder: EncoderContext
    private let toYUV: PictureConverter
    private let frame = Frame()
    private let packet = Packet()
    private var finished = false

    /// Creates (or truncates) `path`. Width and height must be even (4:2:0 chroma).
    /// - Parameters:
    ///   - quality: x264 constant rate factor (or constant quantiser when `intraOnly`), 0–51,
    ///     lower is better.
    ///   - intraOnly: every picture a keyframe at a constant quantiser: a picture decodes to the
    ///     same pixels whatever its neighbours, so two files holding the same pictures in different
    ///     orders decode to the same set of pictures. Larger files.
    public init(
        path: String, width: Int, height: Int, fps: Int, quality: Int = 18, intraOnly: Bool = false
    ) throws {
        guard width > 0, height > 0, width % 2 == 0, height % 2 == 0, fps > 0, (0...51).contains(quality) else {
            throw DecodeError(
                .invalidRequest, path: path,
                "cannot encode \(width)x\(height) at \(fps) fps, quality \(quality): sizes must be even and positive")
        }
        self.path = path
        self.width = width
        self.height = height
        self.fps = fps
        container = try OutputContainer(path: path)
        encoder = try EncoderContext(
            width: width, height: height, fps: fps, quality: quality, intraOnly: intraOnly,
            globalHeader: container.wantsGlobalHeader, path: path)
        toYUV = try PictureConverter(width: width, height: height, to: AV_PIX_FMT_YUV420P, subject: path)
        try container.writeHeader(encoder: encoder.context)
        frame.pointer.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        frame.pointer.pointee.width = Int32(width)
        frame.pointer.pointee.height = Int32(height)
        try avCheck(
            av_frame_get_buffer(frame.pointer, 0), "av_frame_get_buffer", path: path, kind: .ioError,
            what: "could not allocate a picture")
    }

    /// Encodes one packed RGB24 picture of this encoder's size, shown at `framesWritten / fps` s.
    public func append(rgb pixels: [UInt8]) throws {
        precondition(!finished, "VideoEncoder.append: \(path) is already finished")
        precondition(
            pixels.count == width * height * 3, "VideoEncoder.append: \(pixels.count) bytes for \(width)x\(height)")
        try avCheck(
            av_frame_make_writable(frame.pointer), "av_frame_make_writable", path: path, kind: .ioError,
            what: "picture not writable")
        toYUV.convert(rgb: pixels, into: frame.pointer)
        frame.pointer.pointee.pts = Int64(framesWritten)
        try avCheck(
            encoder.send(frame), "avcodec_send_frame", path: path, kind: .ioError, what: "encoding failed")
        framesWritten += 1
        try drain()
    }

    /// Flushes the encoder, writes the container's trailer and closes the file.
    public func finish() throws {
        precondition(!finished, "VideoEncoder.finish: \(path) is already finished")
        finished = true
        try avCheck(encoder.send(nil), "avcodec_send_frame", path: path, kind: .ioError, what: "flushing failed")
        try drain()
        try container.finish()
    }

    /// Moves every packet the encoder has ready into the container.
    private func drain() throws {
        while true {
            let code = encoder.receive(into: packet)
            if code == FFmpegCodes.again || code == FFmpegCodes.eof { return }
            try avCheck(code, "avcodec_receive_packet", path: path, kind: .ioError, what: "encoding failed")
            try container.write(packet, timeBase: encoder.context.pointee.time_base)
            packet.unref()
        }
    }
}
