// `vidact classify IMAGE|VIDEO...`: ImageNet top-k of a backbone (EfficientNet-Lite0 by default,
// or ResNet-18/50 with user-supplied weights), to check that the weights and the preprocessing are
// right (a cat photo should come out as a cat). Images are read by FFmpeg
// like one-frame videos; for a video, the mean softmax over the sampled frames is ranked, and
// `--per-frame` also ranks each frame.
import ArgumentParser
import ConvNets
import Extraction
import Foundation
import VideoDecoding

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "ImageNet top classes of images or videos with a CNN backbone (a sanity check of the weights).",
        discussion: """
            Frames are sampled as in `vidact frames` (default --uniform 8; an image is one frame) and, by
            default, resized so the short side is 256 (bilinear) and centre-cropped to 224x224; any geometry
            must give 224x224. Needs models/ from scripts/fetch-weights (scripts/bootstrap runs it). ResNet
            needs --weights: a torchvision state_dict saved as safetensors.
            """)

    @Argument(help: "Image or video files.")
    var paths: [String]

    @Option(help: "How many classes to print.")
    var top: Int = 5

    @Flag(name: .customLong("per-frame"), help: "Also rank every sampled frame.")
    var perFrame = false

    @Flag(help: "One JSON object per line per file.")
    var json = false

    @OptionGroup var cnn: BackboneOptionGroup

    @Option(help: "Input normalisation: lite ((x-127)/128) or imagenet (mean/std); default: the backbone's.")
    var norm: InputNormalization?

    @Option(name: .customLong("cnn-threads"), help: "oneDNN threads for the CNN (default: one per core).")
    var cnnThreads: Int?

    @Option(help: "Frames per CNN forward pass.")
    var batch: Int = 16

    @OptionGroup var frames: FrameOptionGroup
    @OptionGroup var decode: DecodeOptionGroup

    func validate() throws {
        if top < 1 || top > 1000 { throw ValidationError("--top must be between 1 and 1000") }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if let cnnThreads, cnnThreads < 1 { throw ValidationError("--cnn-threads must be at least 1") }
    }

    /// `vidact frames`' request, with classify's defaults where no sampling or geometry was given.
    var request: FrameRequest {
        var request = frames.request
        let sampled = frames.all || frames.fps != nil || frames.uniform != nil || frames.segments != nil
        if !sampled && frames.stride == nil { request.sampling = .uniform(8) }
        if frames.size == nil && frames.shortSide == nil { request.geometry = .shortSide(256, crop: 224) }
        return request
    }

    mutating func run() throws {
        let classifier = try ImageNetClassifier(
            backbone: cnn.backbone, weightsPath: cnn.weightsPath,
            classesPath: "\(cnn.modelsFolder)/imagenet_classes.txt",
            normalization: norm, threads: cnnThreads, batch: batch, precision: cnn.precision,
            calibration: cnn.calibrationPath)
        var failed = 0
        for path in paths {
            do {
                let result = try VideoClassification.classify(
                    path, with: classifier, request: request, options: decode.options)
                let report = ClassificationReport(
                    path: path, frames: result.frames, probabilities: result.probabilities, classifier: classifier,
                    top: top)
                print(json ? report.jsonLine(perFrame: perFrame) : report.text(perFrame: perFrame))
            } catch let error as DecodeError {
                if json { print(ClassificationReport.errorLine(path: path, error: error)) }
                printError("vidact: \(error)")
                failed += 1
            }
        }
        if failed > 0 { throw SomeInputsFailed() }
    }
}

extension InputNormalization: ExpressibleByArgument {}
extension Backbone: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}
