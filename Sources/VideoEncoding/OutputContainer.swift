// Owner of an AVFormatContext opened for writing: allocates the muxer for a container (mp4 by
// default), opens the file with avio, adds one video stream, writes the header, packets and
// trailer. The file is closed in deinit if `finish()` was not reached (an error half-way).
import Basics
import CFFmpeg
import VideoDecoding

final class OutputContainer {
    let context: UnsafeMutablePointer<AVFormatContext>
    let path: String
    private(set) var stream: UnsafeMutablePointer<AVStream>?

    init(path: String, format: String = "mp4") throws {
        self.path = path
        var allocated: UnsafeMutablePointer<AVFormatContext>?
        try avCheck(
            avformat_alloc_output_context2(&allocated, nil, format, path), "avformat_alloc_output_context2",
            path: path, kind: .invalidRequest, what: "no '\(format)' muxer")
        guard let allocated else { throw DecodeError(.ioError, path: path, "out of memory allocating a muxer") }
        context = allocated
        // No tool version strings or creation times: the same frames give the same bytes.
        context.pointee.flags |= AVFMT_FLAG_BITEXACT
        // Every stored property is set, so on a throw from here deinit frees the context.
        try avCheck(
            avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE), "avio_open", path: path, kind: .ioError,
            what: "could not create the file")
    }

    deinit {
        if context.pointee.pb != nil { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
    }

    /// Whether the container wants codec headers out of band (mp4: yes).
    var wantsGlobalHeader: Bool {
        guard let format = context.pointee.oformat else { return false }
        return format.pointee.flags & AVFMT_GLOBALHEADER != 0
    }

    /// Adds the video stream described by an opened encoder and writes the container header.
    func writeHeader(encoder: UnsafeMutablePointer<AVCodecContext>) throws {
        guard let stream = avformat_new_stream(context, nil) else {
            throw DecodeError(.ioError, path: path, "out of memory adding a stream")
        }
        try avCheck(
            avcodec_parameters_from_context(stream.pointee.codecpar, encoder), "avcodec_parameters_from_context",
            path: path, kind: .ioError, what: "could not describe the stream")
        stream.pointee.time_base = encoder.pointee.time_base
        stream.pointee.avg_frame_rate = encoder.pointee.framerate
        self.stream = stream
        try avCheck(
            avformat_write_header(context, nil), "avformat_write_header", path: path, kind: .ioError,
            what: "could not write the container header")
    }

    /// Writes one encoded packet whose timestamps are in `timeBase` (the encoder's).
    func write(_ packet: Packet, timeBase: AVRational) throws {
        guard let stream else { preconditionFailure("OutputContainer.write: no header written") }
        av_packet_rescale_ts(packet.pointer, timeBase, stream.pointee.time_base)
        packet.pointer.pointee.stream_index = stream.pointee.index
        try avCheck(
            av_interleaved_write_frame(context, packet.pointer), "av_interleaved_write_frame", path: path,
            kind: .ioError, what: "could not write a packet")
    }

    /// Writes the trailer (mp4: the index) and closes the file.
    func finish() throws {
        try avCheck(
            av_write_trailer(context), "av_write_trailer", path: path, kind: .ioError,
            what: "could not write the container trailer")
        try avCheck(avio_closep(&context.pointee.pb), "avio_closep", path: path, kind: .ioError, what: "closing failed")
    }
}
