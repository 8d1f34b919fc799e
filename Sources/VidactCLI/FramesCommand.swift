// `vidact frames VIDEO --out DIR`: the sampled frames as image files plus frames.csv, so a person
// can see exactly what the CNN will be fed.
import ArgumentParser
import Foundation
import VideoDecoding
import VideoEncoding

struct FramesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames",
        abstract: "Write the sampled frames of a video as images, with frames.csv (index,frame_index,timestamp,time).")

    @Argument(help: "The video file.")
    var video: String

    @Option(help: "Output directory (created if missing).")
    var out: String

    @Option(help: "Image format: png or jpg.")
    var format: ImageFormat = .png

    @OptionGroup var frames: FrameOptionGroup
    @OptionGroup var decode: DecodeOptionGroup

    mutating func run() throws {
        let reader = try VideoReader(path: video, options: decode.options)
        let stream = try reader.frames(frames.request)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var encoder: ImageEncoder?
        var csv = "index,frame_index,timestamp,time\n"
        var count = 0
        while let frame = try stream.next() {
            if encoder?.width != frame.width || encoder?.height != frame.height {
                encoder = try ImageEncoder(format: format, width: frame.width, height: frame.height)
            }
            guard let encoder else { preconditionFailure("frames: no encoder") }
            let name = String(format: "frame_%06d.%@", count, format.fileExtension)
            let bytes = try encoder.encode(rgb: frame.pixels)
            try Data(bytes).write(to: URL(fileURLWithPath: out).appendingPathComponent(name), options: .atomic)
            csv += "\(count),\(frame.frameIndex),\(formatSeconds(frame.timestamp)),\(formatSeconds(frame.time))\n"
            count += 1
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: out).appendingPathComponent("frames.csv"), options: .atomic)
        let s = stream.stats
        var summary = "\(video): wrote \(count) frame(s) to \(out) (decoded \(s.framesDecoded)"
        if s.seeks > 0 { summary += ", \(s.seeks) seek(s)" }
        if s.corruptPackets > 0 { summary += ", \(s.corruptPackets) corrupt packet(s) skipped" }
        if s.missingFrames > 0 { summary += ", \(s.missingFrames) selected frame(s) lost to corruption" }
        print(summary + ")")
        for note in s.snapNotes { printError("vidact: \(video): \(note)") }
    }
}

/// Seconds with enough digits to round-trip microsecond timestamps, without float noise.
func formatSeconds(_ value: Double) -> String {
    String(format: "%.6f", value)
}
