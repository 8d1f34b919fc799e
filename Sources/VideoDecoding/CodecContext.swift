// Owner of an AVCodecContext opened as a decoder for one stream, with FFmpeg's frame and slice
// threading. The send/receive calls return FFmpeg codes unchanged: EAGAIN and EOF are control
// flow that `FrameSource` handles.
import CFFmpeg

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

final class CodecContext {
    let context: UnsafeMutablePointer<AVCodecContext>
    let codecName: String

    init(stream: UnsafeMutablePointer<AVStream>, threads: Int, path: String) throws {
        guard let parameters = stream.pointee.codecpar else {
            preconditionFailure("CodecContext: stream without codec parameters")
        }
        let id = parameters.pointee.codec_id
        let name = String(cString: avcodec_get_name(id))
        guard let codec = avcodec_find_decoder(id) else {
            throw DecodeError(.unsupportedCodec, path: path, "this FFmpeg has no decoder for codec '\(name)'")
        }
        guard let context = avcodec_alloc_context3(codec) else {
            throw DecodeError(.ioError, path: path, "out of memory allocating a decoder")
        }
        self.context = context
        self.codecName = name
        try avCheck(
            avcodec_parameters_to_context(context, parameters), "avcodec_parameters_to_context", path: path,
            kind: .unsupportedCodec, what: "could not configure the '\(name)' decoder")
        context.pointee.pkt_timebase = stream.pointee.time_base
        // Frame threading decodes several pictures at once; 0 means one thread per online core
        // (FFmpeg's own automatic choice would add one more).
        context.pointee.thread_count = Int32(threads > 0 ? threads : CodecContext.onlineCores)
        context.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
        let opened = avcodec_open2(context, codec, nil)
        if opened == FFmpegCodes.patchWelcome || opened == FFmpegCodes.decoderNotFound {
            throw DecodeError(
                .unsupportedCodec, path: path,
                "the '\(name)' decoder cannot decode this stream (\(avErrorText(opened)))",
                call: "avcodec_open2", code: opened)
        }
        try avCheck(
            opened, "avcodec_open2", path: path, kind: .unsupportedCodec, what: "could not open the '\(name)' decoder")
    }

    static var onlineCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    deinit {
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&owned)
    }

    /// Sends a packet, or nil to start draining. Returns FFmpeg's code.
    func send(_ packet: Packet?) -> Int32 { avcodec_send_packet(context, packet?.pointer) }

    /// Receives the next decoded frame into `frame`. Returns FFmpeg's code.
    func receive(into frame: Frame) -> Int32 { avcodec_receive_frame(context, frame.pointer) }

    /// Drops every buffered frame, after a seek.
    func flush() { avcodec_flush_buffers(context) }
}
