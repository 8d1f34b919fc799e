// `vidact features extract PATH... --workdir W`: one cached feature volume per video (content-
// addressed; videos already cached under the same settings are skipped), decoding and the CNN
// overlapped. A bad video is reported with its reason and the run goes on; exit status 1 if any
// failed.
import ArgumentParser
import Basics
import ConvNets
import Extraction
import FeatureStore
import Foundation
import Pipeline
import VideoDecoding

struct FeaturesExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Compute and cache the CNN feature volume of each video.",
        discussion: """
            Folders are walked recursively for video files. Sampling and geometry options are those of
            `vidact frames` (default: --fps 1, --short-side 256 --crop 224); frames must come out 224x224.
            Volumes go to <workdir>/features/<extractor-key>/<xx>/<video-sha256>.safetensors. Exit status 1
            when some videos failed (each is listed with its reason), 2 on usage errors.
            """)

    @Argument(help: "Video files or folders.")
    var paths: [String]

    @OptionGroup var workdir: WorkdirOption

    @OptionGroup var cnn: BackboneOptionGroup

    @Option(help: "Input normalisation: lite ((x-127)/128) or imagenet (mean/std); default: the backbone's.")
    var norm: InputNormalization?

    @Option(help: "Feature pooling: avg (global average) or grid2 (2x2 cells, 4x wider).")
    var pool: FeaturePooling = .avg

    @Option(help: "Stored precision: f16 or f32.")
    var dtype: FeatureDType = .f16

    @Option(help: "Frames per CNN call (may span videos).")
    var batch: Int = 16

    @Option(help: "Videos decoded at the same time.")
    var jobs: Int = 2

    @Option(name: .customLong("cnn-threads"), help: "oneDNN threads for the CNN (default: one per core).")
    var cnnThreads: Int?

    @Flag(
        help: """
            Also store motion descriptors (tensor `motion`, [T, 43]: camera translation, zoom, rotation, shear and \
            object-motion histograms between each sampled frame and the frame before it; part of the extractor key).
            """)
    var motion = false

    @Flag(help: "Print the summary as one JSON object per video and a final totals object.")
    var json = false

    @OptionGroup var frames: FrameOptionGroup
    @OptionGroup var decode: DecodeOptionGroup

    func validate() throws {
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let cnnThreads, cnnThreads < 1 { throw ValidationError("--cnn-threads must be at least 1") }
        if motion && frames.snap == .keyframe {
            throw ValidationError("--motion needs exact sampling (the frame before each sample), not --snap keyframe")
        }
        if case .native = request.geometry {
            throw ValidationError("the CNN takes 224x224 frames: give --size 224x224 or --short-side S --crop 224")
        }
    }

    /// `vidact frames`' request with extraction's defaults (1 frame per second, 256 → 224 crop).
    var request: FrameRequest {
        var request = frames.request
        let sampled = frames.all || frames.fps != nil || frames.uniform != nil || frames.segments != nil
        if !sampled && frames.stride == nil { request.sampling = .fps(1) }
        if frames.size == nil && frames.shortSide == nil { request.geometry = .shortSide(256, crop: 224) }
        request.motionReferences = motion
        return request
    }

    mutating func run() throws {
        let settings = ExtractionSettings(
            request: request, decode: decode.options, pooling: pool, dtype: dtype, batch: batch, jobs: jobs,
            toolVersion: VidactVersion.string, precision: try cnn.extractionPrecision())
        let extraction = try FeatureExtraction(
            settings: settings, store: FeatureStore(workdir: workdir.workdir), backbone: cnn.backbone,
            weightsPath: cnn.weightsPath, normalization: norm, cnnThreads: cnnThreads)
        let videos = VideoFiles.expand(paths).map(Self.absolute)
        printError("vidact: \(videos.count) videos, extractor \(extraction.spec.key) (\(extraction.spec.summary))")
        let summary = try extraction.run(videos, observer: ExtractionProgress())
        print(json ? Self.jsonLines(summary) : Self.text(summary))
        if summary.count(.failed) > 0 { throw SomeInputsFailed() }
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    static func text(_ summary: ExtractionSummary) -> String {
        let rate = Double(summary.framesEmbedded) / max(summary.seconds, 1e-9)
        var lines = [
            "extractor \(summary.key): \(summary.count(.done)) done, \(summary.count(.skipped)) skipped, "
                + "\(summary.count(.failed)) failed; \(summary.framesEmbedded) frames in "
                + String(format: "%.1f s (%.1f frames/s)", summary.seconds, rate)
                + (summary.noted > 0 ? "; \(summary.noted) with a note (below)" : "")
        ]
        for outcome in summary.outcomes where outcome.status == .failed {
            lines.append("  failed: \(outcome.path): \(outcome.reason ?? "unknown error")")
        }
        for outcome in summary.outcomes where outcome.status == .done {
            if let note = outcome.reason { lines.append("  note: \(outcome.path): \(note)") }
        }
        return lines.joined(separator: "\n")
    }

    static func jsonLines(_ summary: ExtractionSummary) -> String {
        var lines: [String] = summary.outcomes.map { outcome in
            var object: [String: Any] = [
                "path": outcome.path, "status": outcome.status.rawValue, "seconds": outcome.seconds,
            ]
            if let featurePath = outcome.featurePath { object["feature_file"] = featurePath }
            if let frames = outcome.frames { object["frames"] = frames }
            if let reason = outcome.reason { object["reason"] = reason }
            return JSONLine.encode(object)
        }
        lines.append(
            JSONLine.encode([
                "extractor_key": summary.key, "done": summary.count(.done), "skipped": summary.count(.skipped),
                "failed": summary.count(.failed), "frames": summary.framesEmbedded, "seconds": summary.seconds,
            ]))
        return lines.joined(separator: "\n")
    }
}

extension FeaturePooling: ExpressibleByArgument {}
extension FeatureDType: ExpressibleByArgument {}

/// A failure of the command itself, said in one line; maps to exit status 1.
struct CLIError: VidactError, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
