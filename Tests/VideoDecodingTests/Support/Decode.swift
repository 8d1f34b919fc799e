// Helpers that run the decoder on a fixture and collect what it produced.
@testable import VideoDecoding

struct Decoded {
    var frames: [RGBFrame]
    var stats: DecodeStats

    var bytes: [UInt8] { frames.flatMap(\.pixels) }
    var indices: [Int] { frames.map(\.frameIndex) }
    var timestamps: [Double] { frames.map(\.timestamp) }
}

func decode(_ path: String, _ request: FrameRequest, options: DecodeOptions = DecodeOptions()) throws -> Decoded {
    let reader = try VideoReader(path: path, options: options).frames(request)
    var frames: [RGBFrame] = []
    while let frame = try reader.next() { frames.append(frame) }
    return Decoded(frames: frames, stats: reader.stats)
}

/// The ffmpeg CLI filter that matches a request's geometry and interpolation.
func ffmpegFilter(_ geometry: Geometry, _ interpolation: Interpolation, info: VideoInfo) -> String {
    let flags = "flags=\(interpolation.rawValue)"
    switch geometry {
    case .native:
        return "scale=iw:ih:\(flags)"
    case .size(let w, let h):
        return "scale=\(w):\(h):\(flags)"
    case .shortSide(let side, let crop):
        let size = RGBConverter.outputSize(displayWidth: info.width, displayHeight: info.height, geometry: geometry)
        precondition(size.width >= side && size.height >= side)
        let scale = "scale=\(size.width):\(size.height):\(flags)"
        // format=rgb24 makes the scale filter produce RGB itself, so the crop cuts RGB as vidact does
        // (otherwise the CLI may crop in YUV and convert afterwards).
        return crop.map { "\(scale),format=rgb24,crop=\($0):\($0)" } ?? scale
    }
}
