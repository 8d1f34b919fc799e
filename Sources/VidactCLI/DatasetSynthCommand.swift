// `vidact dataset synth --out DIR`: renders synthetic activity clips in pairs that differ only in
// frame order, plus multi-segment clips, encodes them (H.264, mp4) and writes UCF101-style split
// files, manifest and segment CSVs and a README. Deterministic for a seed.
import ArgumentParser
import Foundation
import Pipeline
import SyntheticData

struct DatasetSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Render a synthetic activity dataset (order-paired classes and multi-segment clips).",
        discussion: """
            Writes DIR/clips/<class>/<class>_<nnn>.mp4, DIR/segments/multi_<nnn>.mp4, classInd.txt,
            trainlist01.txt, testlist01.txt, manifest.csv, segments.csv, segments_manifest.csv and README.md.
            The same options give byte-identical files. Existing files of the same names are replaced.
            """)

    @Option(help: "Output folder.")
    var out: String

    @Option(name: .customLong("per-class"), help: "Clips per class.")
    var perClass: Int = 12

    @Option(help: "Frame size WxH (even numbers).")
    var size: String = "160x120"

    @Option(help: "Frames per single-activity clip.")
    var frames: Int = 24

    @Option(help: "Frames per second of the encoded clips.")
    var fps: Int = 10

    @Option(help: "Number of multi-segment clips.")
    var multi: Int = 20

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Clips rendered and encoded at the same time (default: one per core); the files do not depend on it.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard let (width, height) = parseSize(size) else {
            throw ValidationError("--size must look like 160x120, not '\(size)'")
        }
        if width % 2 != 0 || height % 2 != 0 || width < 16 || height < 16 {
            throw ValidationError("--size must be even and at least 16x16 (H.264 4:2:0), not \(size)")
        }
        if perClass < 1 { throw ValidationError("--per-class must be at least 1") }
        if frames < 2 { throw ValidationError("--frames must be at least 2") }
        if fps < 1 { throw ValidationError("--fps must be at least 1") }
        if multi < 0 { throw ValidationError("--multi must not be negative") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    mutating func run() throws {
        guard let (width, height) = parseSize(size) else { return }
        let settings = SyntheticDatasetSettings(
            directory: out, perClass: perClass, width: width, height: height, frames: frames, fps: fps, seed: seed,
            multi: multi)
        let plan = SyntheticDatasetPlan(settings)
        let started = Date()
        let terminal = isatty(STDERR_FILENO) != 0
        do {
            let summary = try SyntheticDataset.write(plan, jobs: jobs) { done, total, path in
                if terminal {
                    printError("\u{1B}[2K\rvidact: \(done)/\(total) \(path)", newline: false)
                } else if done % 20 == 0 || done == total {
                    printError("vidact: \(done)/\(total) clips")
                }
            }
            if terminal { printError("") }
            let seconds = Date().timeIntervalSince(started)
            print(
                "\(out): \(summary.clips) clips in \(SyntheticActivity.allCases.count) classes, "
                    + "\(summary.multiClips) multi-segment clips, \(summary.frames) frames, \(summary.codec), "
                    + String(format: "%.1f s", seconds))
        } catch let error as SyntheticDatasetError {
            if terminal { printError("") }
            throw CLIError(error.description)
        }
    }
}
