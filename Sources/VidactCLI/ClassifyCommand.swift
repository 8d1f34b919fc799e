// `vidact classify IMAGE|VIDEO...`: ImageNet top-k of the backbone, to check that the weights and
// the preprocessing are right (a cat photo should come out as a cat). Images are read by FFmpeg
// like one-frame videos; for a video, the mean over uniformly sampled frames is ranked.
import ArgumentParser
import ConvNets
import Foundation
import VideoDecoding

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "ImageNet top classes of images or videos with EfficientNet-Lite0 (a sanity check of the weights).",
        discussion: """
            Pictures are resized so the short side is 256 (bilinear) and centre-cropped to 224x224, then
            normalised with --norm. Needs models/ from scripts/fetch-weights (scripts/bootstrap runs it).
            """)

    @Argument(help: "Image or video files.")
    var paths: [String]

    @Option(help: "How many classes to print.")
    var top: Int = 5

    @Option(help: "Frames sampled uniformly from a video.")
    var frames: Int = 8

    @Option(help: "Input normalisation: lite ((x-127)/128) or imagenet (mean/std).")
    var norm: InputNormalization = .lite

    @Option(help: "Directory with efficientnet_lite0.safetensors and imagenet_classes.txt.")
    var models: String = ProcessInfo.processInfo.environment["VIDACT_MODELS"] ?? "models"

    @Option(name: .customLong("cnn-threads"), help: "oneDNN threads for the CNN (default: one per core).")
    var cnnThreads: Int?

    @Option(help: "Frames per CNN forward pass.")
    var batch: Int = 16

    @OptionGroup var decode: DecodeOptionGroup

    func validate() throws {
        if top < 1 || top > 1000 { throw ValidationError("--top must be between 1 and 1000") }
        if frames < 1 { throw ValidationError("--frames must be at least 1") }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if let cnnThreads, cnnThreads < 1 { throw ValidationError("--cnn-threads must be at least 1") }
    }

    mutating func run() throws {
        let classifier = try ImageNetClassifier(
            weightsPath: "\(models)/efficientnet_lite0.safetensors", classesPath: "\(models)/imagenet_classes.txt",
            normalization: norm, threads: cnnThreads, batch: batch)
        var failed = 0
        for path in paths {
            do {
                let pictures = try Self.pictures(path, count: frames, options: decode.options)
                let predictions = try classifier.classify(pictures, top: top)
                print("\(path) (\(pictures.count) frame\(pictures.count == 1 ? "" : "s")):")
                for p in predictions {
                    print(String(format: "  %6.2f%%  %4d  %@", p.probability * 100, p.index, p.name))
                }
            } catch let error as DecodeError {
                printError("vidact: \(error)")
                failed += 1
            }
        }
        if failed > 0 { throw SomeInputsFailed() }
    }

    /// Up to `count` distinct frames, 224x224 RGB24, uniformly over the video (one for an image).
    static func pictures(_ path: String, count: Int, options: DecodeOptions) throws -> [[UInt8]] {
        let request = FrameRequest(sampling: .uniform(count), geometry: .shortSide(256, crop: 224))
        let reader = try VideoReader(path: path, options: options).frames(request)
        var seen = Set<Int>()
        var pictures: [[UInt8]] = []
        while let frame = try reader.next() {
            // A one-frame file (an image) yields the same frame for every target.
            if seen.insert(frame.frameIndex).inserted { pictures.append(frame.pixels) }
        }
        guard !pictures.isEmpty else { throw DecodeError(.corruptData, path: path, "no frame could be decoded") }
        return pictures
    }
}

extension InputNormalization: ExpressibleByArgument {}
