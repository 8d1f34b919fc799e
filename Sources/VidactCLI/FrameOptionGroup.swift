// Options that choose which frames to sample and at what geometry, shared by `frames`, `decode`
// and, later, feature extraction.
import ArgumentParser
import VideoDecoding
import VideoEncoding

struct FrameOptionGroup: ParsableArguments {
    @Flag(help: "Keep every decoded frame (the default when no other sampling is given).")
    var all = false

    @Option(help: "Frames per second, chosen by time: the frame shown at each t0 + k/X.")
    var fps: Double?

    @Option(help: "N frames spread evenly from the first to the last timestamp.")
    var uniform: Int?

    @Option(help: "The frame nearest the centre of each of N equal segments (TSN).")
    var segments: Int?

    @Option(help: "Every K-th decoded frame.")
    var stride: Int?

    @Option(help: "Output size WxH, stretched (e.g. 224x224).")
    var size: String?

    @Option(name: .customLong("short-side"), help: "Resize so the short side is S pixels, keeping the aspect ratio.")
    var shortSide: Int?

    @Option(help: "With --short-side, cut the centred CxC square.")
    var crop: Int?

    @Option(help: "Interpolation: bilinear, area or bicubic.")
    var interp: Interpolation = .bilinear

    @Flag(name: .customLong("ignore-rotation"), help: "Ignore the stream's rotation metadata.")
    var ignoreRotation = false

    @Flag(name: .customLong("no-seek"), help: "Decode every frame even when sparse sampling could seek.")
    var noSeek = false

    @Option(
        help: ArgumentHelp(
            "exact, or keyframe: move each sample to the nearest keyframe and decode only those (fast, inexact).",
            discussion: "With --fps, --uniform or --segments. The stored timestamps are the keyframes' own."))
    var snap: Snap = .exact

    func validate() throws {
        let modes = [all, fps != nil, uniform != nil, segments != nil, stride != nil].filter { $0 }.count
        if modes > 1 { throw ValidationError("give at most one of --all, --fps, --uniform, --segments, --stride") }
        if let fps, !(fps > 0 && fps.isFinite) { throw ValidationError("--fps must be a positive number") }
        for (name, value) in [("--uniform", uniform), ("--segments", segments), ("--stride", stride)] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1") }
        }
        if snap == .keyframe && (all || stride != nil) {
            throw ValidationError("--snap keyframe needs sampling by time: --fps, --uniform or --segments")
        }
        if size != nil && shortSide != nil { throw ValidationError("give --size or --short-side, not both") }
        if crop != nil && shortSide == nil { throw ValidationError("--crop needs --short-side") }
        if let size, parseSize(size) == nil { throw ValidationError("--size must look like 224x224, not '\(size)'") }
        if let shortSide, shortSide < 1 { throw ValidationError("--short-side must be positive") }
        if let crop, crop < 1 { throw ValidationError("--crop must be positive") }
        if let crop, let shortSide, crop > shortSide {
            throw ValidationError("--crop \(crop) cannot exceed --short-side \(shortSide)")
        }
    }

    var request: FrameRequest {
        var sampling = Sampling.all
        if let fps { sampling = .fps(fps) }
        if let uniform { sampling = .uniform(uniform) }
        if let segments { sampling = .segments(segments) }
        if let stride { sampling = .stride(stride) }
        var geometry = Geometry.native
        if let size, let parsed = parseSize(size) { geometry = .size(width: parsed.0, height: parsed.1) }
        if let shortSide { geometry = .shortSide(shortSide, crop: crop) }
        return FrameRequest(
            sampling: sampling, geometry: geometry, interpolation: interp, applyRotation: !ignoreRotation,
            allowSeeking: !noSeek, snap: snap)
    }
}

/// "224x224" → (224, 224).
func parseSize(_ text: String) -> (Int, Int)? {
    let parts = text.lowercased().split(separator: "x")
    guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else { return nil }
    return (w, h)
}

extension Interpolation: ExpressibleByArgument {}
extension Snap: ExpressibleByArgument {}
extension ImageFormat: ExpressibleByArgument {}
