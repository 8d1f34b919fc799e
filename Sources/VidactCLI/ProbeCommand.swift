// `vidact probe PATH...`: what each video is, as a table or as JSON lines; directories are walked
// recursively and a bad file never stops the walk.
import ArgumentParser
import Foundation
import VideoDecoding

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Show streams, duration, frame counts, rotation and decodability of videos.",
        discussion: """
            Directories are walked recursively for files with a video extension (\(VideoFiles.extensions.sorted().joined(separator: " "))).
            Exit status: 0 when every file was read, 1 when any failed, 2 on usage errors.
            """)

    @Argument(help: "Video files or directories.")
    var paths: [String]

    @Flag(help: "One JSON object per line per file instead of a table.")
    var json = false

    @Flag(name: .customLong("count-frames"), help: "Decode every frame to count frames and corrupt packets.")
    var countFrames = false

    @OptionGroup var decode: DecodeOptionGroup

    mutating func run() throws {
        let files = VideoFiles.expand(paths)
        var failed = 0
        var table = ProbeTable(countFrames: countFrames)
        for file in files {
            // The keyframe summary (a demux-only pass over the file) is in the JSON lines only.
            let record = ProbeRecord.probe(
                file, countFrames: countFrames, keyframes: json, options: decode.options)
            if !record.ok { failed += 1 }
            if json {
                print(record.jsonLine())
            } else {
                table.add(record)
            }
        }
        if !json {
            table.printAll()
            print("\(files.count - failed) of \(files.count) file(s) read" + (failed > 0 ? ", \(failed) failed" : ""))
        }
        if failed > 0 { throw SomeInputsFailed() }
    }
}
