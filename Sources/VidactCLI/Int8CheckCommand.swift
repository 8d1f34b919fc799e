// `vidact int8-check`: what int8 costs in accuracy, measured (issue 20's figures; hidden from help,
// like cnn-bench): over pictures sampled from a folder of videos or images, the per-picture cosine
// similarity between the int8 and the f32 features (min, mean) and how often their ImageNet top-1
// agree. One JSON line.
import ArgumentParser
import ConvNets
import Foundation
import VideoDecoding

struct Int8CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "int8-check", abstract: "Compare int8 with f32 features on real pictures (for the notes).",
        shouldDisplay: false)

    @OptionGroup var cnn: BackboneOptionGroup

    @Option(help: "Folder of videos to sample frames from.")
    var videos: String?

    @Option(help: "Folder of images.")
    var images: String?

    @Option(help: "How many pictures.")
    var frames: Int = 256

    @OptionGroup var decode: DecodeOptionGroup

    func validate() throws {
        if (videos == nil) == (images == nil) { throw ValidationError("give one of --videos DIR and --images DIR") }
    }

    mutating func run() throws {
        var f32Options = cnn
        f32Options.precision = .f32
        var int8Options = cnn
        int8Options.precision = .int8
        let f32 = try f32Options.load()
        let int8 = try int8Options.load()
        var cosines: [Double] = []
        var agree = 0
        let sample = try PictureSample.take(
            frames, from: videos ?? images ?? "", videos: videos != nil, options: decode.options
        ) { pictures, _ in
            let reference = try f32.forward(rgb24: pictures)
            let quantized = try int8.forward(rgb24: pictures)
            let width = reference.features.shape[1]
            for n in 0..<pictures.count {
                let a = reference.features.storage[(n * width)..<((n + 1) * width)]
                let b = quantized.features.storage[(n * width)..<((n + 1) * width)]
                var (dot, na, nb) = (0.0, 0.0, 0.0)
                for (x, y) in zip(a, b) {
                    dot += Double(x) * Double(y)
                    na += Double(x) * Double(x)
                    nb += Double(y) * Double(y)
                }
                cosines.append(dot / (na.squareRoot() * nb.squareRoot()))
                let classes = reference.logits.shape[1]
                // Both slices start at the same offset, so their argmax indices compare directly.
                let top = { (logits: ArraySlice<Float>) in logits.indices.max { logits[$0] < logits[$1] } }
                let row = (n * classes)..<((n + 1) * classes)
                if top(reference.logits.storage[row]) == top(quantized.logits.storage[row]) { agree += 1 }
            }
        }
        let mean = cosines.reduce(0, +) / Double(max(cosines.count, 1))
        print(
            "{\"pictures\": \(sample.pictures), \"files\": \(sample.files), \"cosine_min\": \(cosines.min() ?? 0), "
                + "\"cosine_mean\": \(mean), \"top1_agree\": \(agree)}")
    }
}
