// Owner of a SwsContext that converts decoded pictures of one input shape to packed RGB24 of one
// output size. It is configured the way the ffmpeg CLI's `scale` filter configures swscale, so
// that the bytes equal `ffmpeg -vf scale=W:H:flags=F -pix_fmt rgb24`: the same flags, MPEG-2
// chroma siting for yuv420p, and colour matrix and range taken from each frame's metadata.
import CFFmpeg

final class Scaler {
    struct Key: Equatable {
        var sourceWidth: Int32
        var sourceHeight: Int32
        var sourceFormat: Int32
        var width: Int
        var height: Int
        var interpolation: Interpolation
    }

    let key: Key
    private let context: OpaquePointer

    init(_ key: Key, path: String) throws {
        self.key = key
        guard let context = sws_alloc_context() else {
            throw DecodeError(.ioError, path: path, "out of memory allocating a scaler")
        }
        self.context = context
        let flags: Int64
        switch key.interpolation {
        case .bilinear: flags = Int64(SWS_BILINEAR)
        case .area: flags = Int64(SWS_AREA)
        case .bicubic: flags = Int64(SWS_BICUBIC)
        }
        let raw = UnsafeMutableRawPointer(context)
        let rgb24 = Int64(AV_PIX_FMT_RGB24.rawValue)
        // vf_scale overrides swscale's chroma siting for yuv420p only (MPEG-2 convention).
        let vChromaPosition: Int64 = key.sourceFormat == AV_PIX_FMT_YUV420P.rawValue ? 128 : -513
        let settings: [(String, Int64)] = [
            ("sws_flags", flags), ("srcw", Int64(key.sourceWidth)), ("srch", Int64(key.sourceHeight)),
            ("src_format", Int64(key.sourceFormat)), ("dstw", Int64(key.width)), ("dsth", Int64(key.height)),
            ("dst_format", rgb24), ("src_h_chr_pos", -513), ("src_v_chr_pos", vChromaPosition),
            ("dst_h_chr_pos", -513), ("dst_v_chr_pos", -513),
        ]
        for (name, value) in settings {
            let code = av_opt_set_int(raw, name, value, 0)
            if code < 0 {
                sws_freeContext(context)
                throw DecodeError(
                    .ioError, path: path, "swscale rejected option \(name)=\(value): \(avErrorText(code))")
            }
        }
        let initialised = sws_init_context(context, nil, nil)
        if initialised < 0 {
            sws_freeContext(context)
            let name = av_get_pix_fmt_name(AVPixelFormat(rawValue: key.sourceFormat)).map { String(cString: $0) } ?? "?"
            throw DecodeError(
                .unsupportedCodec, path: path,
                "swscale cannot convert \(name) \(key.sourceWidth)x\(key.sourceHeight) to rgb24 \(key.width)x\(key.height)",
                call: "sws_init_context", code: initialised)
        }
    }

    deinit { sws_freeContext(context) }

    /// Converts `frame` into `output`, a packed RGB24 buffer of `key.width × key.height`.
    func scale(_ frame: UnsafeMutablePointer<AVFrame>, into output: UnsafeMutablePointer<UInt8>) {
        applyColourDetails(of: frame)
        var destination: [UnsafeMutablePointer<UInt8>?] = [output, nil, nil, nil]
        var strides: [Int32] = [Int32(key.width * 3), 0, 0, 0]
        withUnsafePointer(to: &frame.pointee.data) { dataTuple in
            withUnsafePointer(to: &frame.pointee.linesize) { lineTuple in
                dataTuple.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { data in
                    lineTuple.withMemoryRebound(to: Int32.self, capacity: 8) { lines in
                        _ = sws_scale(context, data, lines, 0, key.sourceHeight, &destination, &strides)
                    }
                }
            }
        }
    }

    /// What vf_scale does per frame: the input matrix from the frame's colour space ("auto"), the
    /// same matrix for the output, and the input range from the frame when it states one.
    private func applyColourDetails(of frame: UnsafeMutablePointer<AVFrame>) {
        var inverse: UnsafeMutablePointer<Int32>?
        var table: UnsafeMutablePointer<Int32>?
        var sourceRange: Int32 = 0
        var destinationRange: Int32 = 0
        var brightness: Int32 = 0
        var contrast: Int32 = 0
        var saturation: Int32 = 0
        sws_getColorspaceDetails(
            context, &inverse, &sourceRange, &table, &destinationRange, &brightness, &contrast, &saturation)
        var space = Int32(frame.pointee.colorspace.rawValue)
        if space < 1 || space > 10 || space == 8 { space = Int32(AVCOL_SPC_BT470BG.rawValue) }
        let coefficients = sws_getCoefficients(space)
        let range = frame.pointee.color_range
        if range != AVCOL_RANGE_UNSPECIFIED { sourceRange = range == AVCOL_RANGE_JPEG ? 1 : 0 }
        sws_setColorspaceDetails(
            context, coefficients, sourceRange, coefficients, destinationRange, brightness, contrast, saturation)
    }
}
