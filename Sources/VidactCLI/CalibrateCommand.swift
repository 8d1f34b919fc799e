// `vidact calibrate`: measures the activation ranges the int8 CNN needs (`Int8Calibration`) by
// running the f32 network over a few hundred real frames — by default frames sampled evenly from
// the user's own videos, so the scales fit the footage they will be used on — and writes the
// scales file that `--precision int8` / `extract.precision: int8` read.
import ArgumentParser
import Basics
import ConvNets
import Foundation
import SafeTensors
import TensorCore
import VideoDecoding

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Measure the int8 scales of a CNN on real frames (for --precision int8).",
        discussion: """
            Runs the f32 network over --frames pictures: frames sampled evenly from the videos under
            --videos (uniform in time, the same number from each video), or the images under --images
            (png, jpg, jpeg, bmp, webp). Each picture is resized so its short side is 224 and centre-
            cropped to 224x224, as the pipelines do. The output records, per channel, the largest
            |value| and the mean of every convolution's output; its checksum is part of the extractor
            key of int8 features.
            """)

    @OptionGroup var cnn: BackboneOptionGroup

    @OptionGroup var pictures: PictureOptionGroup

    @Option(help: "The calibration file to write.")
    var out: String

    @Option(help: "Also write the calibration pictures (U8 [N, 224, 224, 3] safetensors), for other tools.")
    var dumpPictures: String?

    @OptionGroup var decode: DecodeOptionGroup

    mutating func run() throws {
        try cnn.backbone.requireWeights(at: cnn.weightsPath)
        // The f32 network of the backbone, as a function that adds a batch's statistics.
        let measure: (Tensor, inout ChannelStatistics) throws -> Void
        if let spec = cnn.backbone.resNetSpec {
            measure = try ResNet(weights: ResNetWeights(path: cnn.weightsPath, spec: spec)).channelStatistics
        } else {
            measure = try EfficientNetLite0(weights: EfficientNetLite0Weights(path: cnn.weightsPath)).channelStatistics
        }
        let normalization = cnn.backbone.normalization
        var statistics = ChannelStatistics()
        var pixels: [UInt8] = []
        let frames = pictures.frames
        let sample = try PictureSample.take(pictures, options: decode.options) { pictures, done in
            if dumpPictures != nil { pixels += pictures.flatMap { $0 } }
            try measure(normalization.tensor(from: pictures, height: 224, width: 224), &statistics)
            printError("calibrate: \(done)/\(frames) pictures")
        }
        let calibration = Int8Calibration(
            backbone: cnn.backbone, pictures: sample.pictures,
            source:
                "\(sample.pictures) pictures from \(sample.files) \(pictures.kind) under \(pictures.folder)",
            statistics: statistics)
        try calibration.write(to: out)
        if let dumpPictures {
            var writer = SafeTensorsWriter(metadata: ["generator": "vidact calibrate"])
            writer.add("pictures", pixels, shape: [sample.pictures, 224, 224, 3])
            try writer.write(to: dumpPictures)
        }
        print(
            "wrote \(out): channel ranges and means of \(statistics.largest.count) tensors from \(sample.pictures) pictures, checksum \(calibration.checksum)"
        )
    }
}

/// Where `calibrate` and `int8-check` take their pictures from.
struct PictureOptionGroup: ParsableArguments {
    @Option(help: "Folder of videos to sample frames from (searched recursively).")
    var videos: String?

    @Option(help: "Folder of images (searched recursively).")
    var images: String?

    @Option(help: "How many pictures to run.")
    var frames: Int = 256

    func validate() throws {
        if (videos == nil) == (images == nil) { throw ValidationError("give one of --videos DIR and --images DIR") }
        if frames < 1 { throw ValidationError("--frames must be at least 1") }
    }

    var folder: String { videos ?? images ?? "" }
    var kind: String { videos != nil ? "videos" : "images" }
}

/// Pictures sampled evenly from a folder of videos (uniform in time, the same number from each,
/// every k-th file when there are more files than pictures) or of images, 224x224 (short side 224,
/// centre crop), handed over 16 at a time so memory stays flat.
enum PictureSample {
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "bmp", "webp"]

    static func take(
        _ source: PictureOptionGroup, options: DecodeOptions,
        _ body: (_ pictures: [[UInt8]], _ done: Int) throws -> Void
    ) throws -> (pictures: Int, files: Int) {
        let (count, folder, videos) = (source.frames, source.folder, source.videos != nil)
        let wanted = videos ? Set(VideoExtensions.defaults) : imageExtensions
        let found = try DirectoryWalk.files(under: folder) { wanted.contains(DirectoryWalk.pathExtension($0)) }
        guard !found.isEmpty else { throw ValidationError("\(folder): no \(videos ? "videos" : "images") found") }
        let chosen = min(found.count, count)
        let files = (0..<chosen).map { "\(folder)/\(found[$0 * found.count / chosen])" }
        let perFile = videos ? max(1, (count + files.count - 1) / files.count) : 1
        var pictures: [[UInt8]] = []
        var done = 0
        var failed = 0
        func flush() throws {
            guard !pictures.isEmpty else { return }
            done += pictures.count
            try body(pictures, done)
            pictures.removeAll()
        }
        for file in files where done + pictures.count < count {
            do {
                let request = FrameRequest(sampling: .uniform(perFile), geometry: .shortSide(224, crop: 224))
                let reader = try VideoReader(path: file, options: options, probe: .forDecoding).frames(request)
                while done + pictures.count < count, let frame = try reader.next() {
                    pictures.append(frame.pixels)
                    if pictures.count == 16 { try flush() }
                }
            } catch let error as DecodeError {
                printError("vidact: \(error) (skipped)")
                failed += 1
            }
        }
        try flush()
        guard done > 0 else { throw ValidationError("\(folder): no picture could be decoded") }
        return (done, files.count - failed)
    }
}
