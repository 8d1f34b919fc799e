// Rotates decoded pictures in their own pixel format, before scaling, the way the ffmpeg CLI's
// autorotation does (transpose=clock / cclock, or hflip+vflip). Scaling first and rotating the
// RGB afterwards is not the same arithmetic, so this order keeps frames byte-equal to the CLI.
// Formats whose chroma is subsampled differently across and down (4:2:2, 4:1:1, packed YUYV) have
// no rotated twin in the same format; for those `RGBConverter` rotates the RGB output instead.
import CFFmpeg

enum PictureRotation {
    /// Whether `format` can be rotated plane by plane.
    static func canRotate(format: Int32) -> Bool {
        guard let desc = av_pix_fmt_desc_get(AVPixelFormat(rawValue: format)) else { return false }
        let d = desc.pointee
        let unsupported = UInt64(AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_HWACCEL)
        guard d.flags & unsupported == 0, d.log2_chroma_w == d.log2_chroma_h else { return false }
        // Packed formats with subsampled chroma (e.g. yuyv422) interleave two pixels per unit.
        return d.flags & UInt64(AV_PIX_FMT_FLAG_PLANAR) != 0 || d.log2_chroma_w == 0
    }

    /// Writes `source` rotated clockwise by `degrees` (90, 180, 270) into `target`.
    static func rotate(_ source: UnsafeMutablePointer<AVFrame>, degrees: Int, into target: Frame, path: String) throws {
        let src = source.pointee
        let quarter = degrees == 90 || degrees == 270
        let dst = target.pointer
        av_frame_unref(dst)
        dst.pointee.format = src.format
        dst.pointee.width = quarter ? src.height : src.width
        dst.pointee.height = quarter ? src.width : src.height
        try avCheck(
            av_frame_get_buffer(dst, 0), "av_frame_get_buffer", path: path, kind: .ioError,
            what: "could not allocate a rotated picture")
        try avCheck(
            av_frame_copy_props(dst, source), "av_frame_copy_props", path: path, kind: .ioError,
            what: "could not copy picture properties")
        guard let desc = av_pix_fmt_desc_get(AVPixelFormat(rawValue: src.format)) else {
            preconditionFailure("PictureRotation: unknown pixel format \(src.format)")
        }
        let planes = Int(av_pix_fmt_count_planes(AVPixelFormat(rawValue: src.format)))
        for plane in 0..<planes {
            let chroma = plane == 1 || plane == 2
            let shiftW = chroma ? Int(desc.pointee.log2_chroma_w) : 0
            let shiftH = chroma ? Int(desc.pointee.log2_chroma_h) : 0
            // Plane sizes round up, as FFmpeg's AV_CEIL_RSHIFT does.
            let width = -((-Int(src.width)) >> shiftW)
            let height = -((-Int(src.height)) >> shiftH)
            let bytes = pixelBytes(desc, plane: plane)
            let from = PlaneView(frame: source, plane: plane)
            let to = PlaneView(frame: dst, plane: plane)
            rotatePlane(from, to, width: width, height: height, bytes: bytes, degrees: degrees)
        }
    }

    private struct PlaneView {
        let base: UnsafeMutablePointer<UInt8>
        let stride: Int

        init(frame: UnsafeMutablePointer<AVFrame>, plane: Int) {
            let data = withUnsafeBytes(of: frame.pointee.data) {
                $0.load(fromByteOffset: plane * 8, as: UnsafeMutablePointer<UInt8>?.self)
            }
            let lines = withUnsafeBytes(of: frame.pointee.linesize) {
                $0.load(fromByteOffset: plane * 4, as: Int32.self)
            }
            guard let data else { preconditionFailure("PictureRotation: plane \(plane) has no data") }
            base = data
            stride = Int(lines)
        }
    }

    /// Bytes per pixel in `plane`: the largest step of the components stored there.
    private static func pixelBytes(_ desc: UnsafePointer<AVPixFmtDescriptor>, plane: Int) -> Int {
        let d = desc.pointee
        let components = [d.comp.0, d.comp.1, d.comp.2, d.comp.3].prefix(Int(d.nb_components))
        return components.filter { Int($0.plane) == plane }.map { Int($0.step) }.max() ?? 1
    }

    private static func rotatePlane(
        _ from: PlaneView, _ to: PlaneView, width: Int, height: Int, bytes: Int, degrees: Int
    ) {
        let outWidth = degrees == 180 ? width : height
        for row in 0..<height {
            let source = from.base + row * from.stride
            for col in 0..<width {
                let (r, c): (Int, Int)
                switch degrees {
                case 90: (r, c) = (col, height - 1 - row)
                case 180: (r, c) = (height - 1 - row, width - 1 - col)
                default: (r, c) = (width - 1 - col, row)
                }
                precondition(c < outWidth, "rotatePlane: column \(c) outside \(outWidth)")
                (to.base + r * to.stride + c * bytes).update(from: source + col * bytes, count: bytes)
            }
        }
    }
}
