// `vidact features inspect VIDEO|FILE`: what a cached volume holds and whether it looks sane —
// metadata, shape, time span and spacing, per-dimension mean/std, NaN/Inf, frame norms, and the
// cosine similarity of consecutive frames as a sparkline (dips are scene changes). `--plot` draws
// the T×D volume as a heatmap with the similarity curve under it (SVG or PNG).
import ArgumentParser
import FeatureStore
import Foundation
import Reports

struct FeaturesInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Describe one cached feature volume; optionally plot it.")

    @Argument(help: "A video (looked up in the workdir) or a feature .safetensors file.")
    var source: String

    @Option(help: "Extractor key, when the video is cached under several.")
    var key: String?

    @Option(help: "Write a heatmap of the volume with the similarity curve (.svg or .png).")
    var plot: String?

    @OptionGroup var workdir: WorkdirOption

    func validate() throws {
        if let plot, !(plot.hasSuffix(".svg") || plot.hasSuffix(".png")) {
            throw ValidationError("--plot must name an .svg or .png file")
        }
    }

    mutating func run() throws {
        let path = try FeatureFileResolver.resolve(source, workdir: workdir.workdir, key: key)
        let volume = try FeatureFile.read(path)
        let stats = FeatureStatistics(volume)
        print(Self.report(path: path, volume: volume, stats: stats))
        if let plot {
            try FeaturePlot(volume: volume, stats: stats).write(to: plot)
            print("plot: \(plot)")
        }
        if stats.nonFinite > 0 { throw SomeInputsFailed() }
    }

    static func report(path: String, volume: FeatureVolume, stats: FeatureStatistics) -> String {
        let info = volume.info
        func f(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", x) }
        func spread(_ xs: [Double]) -> String {
            let sorted = xs.sorted()
            return "min \(f(sorted.first ?? 0)) median \(f(sorted[sorted.count / 2])) max \(f(sorted.last ?? 0))"
        }
        var lines = [
            "file:      \(path)",
            "video:     \(info.sourcePath)",
            "sha256:    \(info.videoSHA256)",
            "extractor: \(info.spec.key) (\(info.spec.summary))",
            "created:   \(info.created) by vidact \(info.toolVersion)",
            "frames:    decoded \(info.decodedFrames.map(String.init) ?? "?"), header "
                + "\(info.headerFrames.map(String.init) ?? "?"), sampled \(stats.frames)",
            "shape:     [\(stats.frames), \(stats.width)] \(info.spec.dtype.rawValue)",
            "time:      \(f(stats.firstTime, 3)) s … \(f(stats.lastTime, 3)) s"
                + (stats.spacing.map { ", spacing min \(f($0.min, 3)) median \(f($0.median, 3)) max \(f($0.max, 3)) s" }
                    ?? ""),
            "dim mean:  \(spread(stats.dimensionMeans))",
            "dim std:   \(spread(stats.dimensionStds)); constant dims \(stats.dimensionStds.filter { $0 == 0 }.count)",
            "non-finite: \(stats.nonFinite == 0 ? "none" : "\(stats.nonFinite) NaN/Inf values — the volume is broken")",
            "norm:      \(spread(stats.norms))",
        ]
        if !stats.similarity.isEmpty {
            lines.append("cosine(t, t+1): \(spread(stats.similarity))")
            lines.append("  " + FeatureStatistics.sparkline(stats.similarity))
            let changes = stats.sharpestChanges(3).map { change in
                "\(f(volume.timestamps[change.index + 1], 2)) s (\(f(change.similarity, 3)))"
            }
            lines.append("  sharpest changes at: " + changes.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
