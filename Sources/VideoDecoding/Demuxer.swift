// Owner of an AVFormatContext: opens a file (or a buffer in memory, through `MemoryIO`) with the
// watchdog installed, finds stream info, reads packets and seeks. One Demuxer per open input; it
// closes the input in deinit.
import Basics
import CFFmpeg

final class Demuxer {
    let context: UnsafeMutablePointer<AVFormatContext>
    let path: String
    let watchdog: Watchdog
    /// The custom I/O of an input in memory. A stored property, so it is freed after deinit has
    /// closed the format context that reads through it.
    private let memory: MemoryIO?

    /// `headerSuffices`: the caller only decodes, or the input was opened before and its stream
    /// chosen (a timeline pass, a segment decoder, the decode after the probe). Containers whose
    /// header already describes every stream and whose packets carry their own timestamps
    /// (MP4/MOV, Matroska/WebM) then skip `avformat_find_stream_info`, which decodes the first
    /// pictures of an H.264 stream (up to 7, to guess its reordering delay) on every open: 2–17 ms
    /// an open on the benchmark's clips (145 ms of CPU for its 20 clips). What it would add is the
    /// pixel format (known once a picture is decoded) and, for Matroska, the stream's start time.
    init(input: VideoInput, watchdog: Watchdog, headerSuffices: Bool = false) throws {
        let path = input.name
        self.path = path
        self.watchdog = watchdog
        memory = try input.bytes.map { try MemoryIO(bytes: $0, name: path) }
        guard let allocated = avformat_alloc_context() else {
            throw DecodeError(.ioError, path: path, "out of memory allocating a format context")
        }
        allocated.pointee.interrupt_callback = watchdog.interruptCallback()
        // With pb set, libavformat reads through it (AVFMT_FLAG_CUSTOM_IO) and never frees it.
        if let memory { allocated.pointee.pb = memory.context }
        var pointer: UnsafeMutablePointer<AVFormatContext>? = allocated
        // On failure avformat_open_input frees the context and sets the pointer to NULL.
        let opened = FileName.withCString(path) { avformat_open_input(&pointer, $0, nil, nil) }
        guard opened >= 0, let pointer else {
            throw Demuxer.openError(opened, path: path)
        }
        context = pointer
        // From here on every stored property is set, so a throw runs deinit, which closes the
        // input: closing it here too freed it twice (found by the `decode` fuzz target).
        if headerSuffices && Self.headerIsComplete(context) { return }
        let found = avformat_find_stream_info(context, nil)
        if found < 0 {
            try avCheck(
                found, "avformat_find_stream_info", path: path, kind: .corruptData,
                what: "could not read stream information")
        }
    }

    /// Whether `context`'s header alone describes its streams well enough to decode them: a
    /// container of the MP4/MOV or Matroska family, every stream's codec known and every video
    /// stream's size.
    static func headerIsComplete(_ context: UnsafeMutablePointer<AVFormatContext>) -> Bool {
        guard let format = context.pointee.iformat?.pointee.name.map({ String(cString: $0) }),
            format.hasPrefix("mov,") || format.hasPrefix("matroska,"), context.pointee.nb_streams > 0
        else { return false }
        return (0..<Int(context.pointee.nb_streams)).allSatisfy { i in
            guard let parameters = context.pointee.streams[i]?.pointee.codecpar?.pointee else { return false }
            guard parameters.codec_id != AV_CODEC_ID_NONE else { return false }
            return parameters.codec_type != AVMEDIA_TYPE_VIDEO || (parameters.width > 0 && parameters.height > 0)
        }
    }

    deinit {
        var pointer: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&pointer)
    }

    private static func openError(_ code: Int32, path: String) -> DecodeError {
        switch code {
        case FFmpegCodes.invalidData, FFmpegCodes.eof:
            return DecodeError(
                .notAVideo, path: path,
                "FFmpeg could not recognise a container (\(avErrorText(code)))",
                call: "avformat_open_input", code: code)
        case FFmpegCodes.exit:
            return DecodeError(
                .timedOut, path: path, "opening the file timed out", call: "avformat_open_input", code: code)
        default:
            do {
                try avCheck(code, "avformat_open_input", path: path, kind: .ioError, what: "could not open the file")
            } catch let error as DecodeError {
                return error
            } catch {}
            return DecodeError(.ioError, path: path, "could not open the file")
        }
    }

    var streams: UnsafeBufferPointer<UnsafeMutablePointer<AVStream>?> {
        UnsafeBufferPointer(start: context.pointee.streams, count: Int(context.pointee.nb_streams))
    }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> {
        guard let stream = streams[index] else { preconditionFailure("Demuxer.stream: stream \(index) is NULL") }
        return stream
    }

    /// Short name of the container format, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm".
    var formatName: String {
        guard let format = context.pointee.iformat, let name = format.pointee.name else { return "unknown" }
        return String(cString: name)
    }

    /// Reads the next packet of any stream into `packet`. Returns false at end of file. A read error
    /// after the first packets (a truncated or damaged file) is also treated as the end, and
    /// reported through `readError` so the caller can count it.
    func read(into packet: Packet) throws -> Bool {
        packet.unref()
        let code = av_read_frame(context, packet.pointer)
        if code >= 0 { return true }
        if code == FFmpegCodes.eof { return false }
        if code == FFmpegCodes.exit || watchdog.expired { throw watchdog.timeoutError(path: path) }
        readError = code
        return false
    }

    /// The last non-EOF read error, if reading stopped early.
    private(set) var readError: Int32?

    /// Seeks so that the next packet read is the keyframe at or before `timestamp` (stream units).
    func seek(stream index: Int, to timestamp: Int64) throws {
        let code = av_seek_frame(context, Int32(index), timestamp, AVSEEK_FLAG_BACKWARD)
        try avCheck(code, "av_seek_frame", path: path, kind: .corruptData, what: "seeking failed")
    }
}
