// Owner of a libavfilter graph of one chain `buffer → FILTER → buffersink` for grey pictures of
// one size: pictures go in with `push`, filtered ones come out with `pull`. The filter contexts
// belong to the graph and are freed with it. Used by `MotionEstimator` for FFmpeg's `mestimate`.
// libavfilter is loaded on first use (`CAVFilter`), so its functions are called through `api`.
import CAVFilter
import CFFmpeg

/// Owner of an AVFilterGraph holding source → filter → sink.
final class FilterGraph {
    private let api: VidactAVFilter
    private let graph: UnsafeMutablePointer<AVFilterGraph>
    private let source: UnsafeMutablePointer<AVFilterContext>
    private let sink: UnsafeMutablePointer<AVFilterContext>
    private let subject: String

    /// A graph applying `filter` (e.g. "mestimate") with `arguments` to GRAY8 pictures of
    /// `width` × `height`; `subject` names the work in errors.
    init(filter: String, arguments: String, width: Int, height: Int, subject: String) throws {
        guard let api = vidact_avfilter()?.pointee else {
            let reason = vidact_avfilter_error().map { String(cString: $0) } ?? "unknown"
            throw DecodeError(
                .unsupportedCodec, path: subject,
                "motion estimation needs libavfilter, which could not be loaded (\(reason)); "
                    + "install it with scripts/bootstrap (Debian: libavfilter8)")
        }
        guard let graph = api.graph_alloc() else { fatalError("avfilter_graph_alloc: out of memory") }
        self.api = api
        self.graph = graph
        self.subject = subject
        var owned: UnsafeMutablePointer<AVFilterGraph>? = graph
        do {
            let input =
                "video_size=\(width)x\(height):pix_fmt=\(AV_PIX_FMT_GRAY8.rawValue):time_base=1/25:pixel_aspect=1/1"
            source = try Self.create("buffer", name: "in", arguments: input, graph: graph, api: api, subject: subject)
            let middle = try Self.create(
                filter, name: "filter", arguments: arguments, graph: graph, api: api, subject: subject)
            sink = try Self.create("buffersink", name: "out", arguments: nil, graph: graph, api: api, subject: subject)
            try avCheck(api.link(source, 0, middle, 0), "avfilter_link", path: subject, kind: .ioError, what: "linking")
            try avCheck(api.link(middle, 0, sink, 0), "avfilter_link", path: subject, kind: .ioError, what: "linking")
            try avCheck(
                api.graph_config(graph, nil), "avfilter_graph_config", path: subject, kind: .ioError,
                what: "configuring the \(filter) graph")
        } catch {
            api.graph_free(&owned)
            throw error
        }
    }

    deinit {
        var owned: UnsafeMutablePointer<AVFilterGraph>? = graph
        api.graph_free(&owned)
    }

    private static func create(
        _ filter: String, name: String, arguments: String?, graph: UnsafeMutablePointer<AVFilterGraph>,
        api: VidactAVFilter, subject: String
    ) throws -> UnsafeMutablePointer<AVFilterContext> {
        guard let definition = api.get_by_name(filter) else {
            throw DecodeError(.unsupportedCodec, path: subject, "this FFmpeg has no \(filter) filter")
        }
        var context: UnsafeMutablePointer<AVFilterContext>?
        try avCheck(
            api.graph_create_filter(&context, definition, name, arguments, nil, graph),
            "avfilter_graph_create_filter", path: subject, kind: .invalidRequest, what: "creating the \(filter) filter")
        guard let context else { fatalError("avfilter_graph_create_filter succeeded without a context") }
        return context
    }

    /// Sends a GRAY8 picture (`width * height` bytes, rows top to bottom) with timestamp `pts`.
    func push(_ pixels: [UInt8], width: Int, height: Int, pts: Int64) throws {
        let frame = Frame()
        frame.pointer.pointee.width = Int32(width)
        frame.pointer.pointee.height = Int32(height)
        frame.pointer.pointee.format = AV_PIX_FMT_GRAY8.rawValue
        frame.pointer.pointee.pts = pts
        try avCheck(
            av_frame_get_buffer(frame.pointer, 0), "av_frame_get_buffer", path: subject, kind: .ioError,
            what: "a picture")
        guard let plane = frame.pointer.pointee.data.0 else { fatalError("av_frame_get_buffer gave no plane") }
        let stride = Int(frame.pointer.pointee.linesize.0)
        pixels.withUnsafeBufferPointer { rows in
            guard let base = rows.baseAddress else { return }
            for y in 0..<height { (plane + y * stride).update(from: base + y * width, count: width) }
        }
        try avCheck(
            api.buffersrc_add_frame_flags(source, frame.pointer, 0), "av_buffersrc_add_frame_flags", path: subject,
            kind: .ioError, what: "feeding the filter")
    }

    /// The next filtered picture, or nil when the filter needs more input.
    func pull() throws -> Frame? {
        let frame = Frame()
        let status = api.buffersink_get_frame(sink, frame.pointer)
        if status == FFmpegCodes.again || status == FFmpegCodes.eof { return nil }
        try avCheck(status, "av_buffersink_get_frame", path: subject, kind: .ioError, what: "reading the filter")
        return frame
    }
}
