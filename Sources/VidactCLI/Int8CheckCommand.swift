// `vidact int8-check`: what int8 costs in accuracy, measured (issue 20's figures; hidden from help,
// like cnn-bench): over pictures sampled from a folder of videos or images, the per-picture cosine
// similarity between the int8 and the f32 features (min, mean) and how often their ImageNet top-1
// agree. One JSON line. `--dump FILE` also writes the pictures (U8 [N, 224, 224, 3]) and both
// feature sets (F32 [N, 1280]) as safetensors, for scripts/bench/cnn-int8 to run other tools on the
// same pictures.
import ArgumentParser
import ConvNets
import Foundation
import SafeTensors
import TensorCore
import VideoDecoding

struct Int8CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "int8-check", abstract: "Compare int8 with f32 features on real pictures (for the notes).",
        shouldDisplay: false)

    @OptionGroup var cnn: BackboneOptionGroup

    @OptionGroup var pictures: PictureOptionGroup

    @Option(help: "Also write the pictures and both feature sets to this safetensors file.")
    var dump: String?

    @OptionGroup var decode: DecodeOptionGroup

    mutating func run() throws {
        var f32Options = cnn
        f32Options.precision = .f32
        var int8Options = cnn
        int8Options.precision = .int8
        let f32 = try f32Options.load()
        let int8 = try int8Options.load()
        var cosines: [Double] = []
        var agree = 0
        var pixels: [UInt8] = []
        var featuresF32: [Float] = []
        var featuresInt8: [Float] = []
        let sample = try PictureSample.take(pictures, options: decode.options) { pictures, _ in
            let reference = try f32.forward(rgb24: pictures)
            let quantized = try int8.forward(rgb24: pictures)
            if dump != nil {
                pixels += pictures.flatMap { $0 }
                featuresF32 += reference.features.storage
                featuresInt8 += quantized.features.storage
            }
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
        if let dump {
            let count = sample.pictures
            var writer = SafeTensorsWriter(metadata: [
                "generator": "vidact int8-check", "calibration": cnn.calibrationPath ?? "",
            ])
            writer.add("pictures", pixels, shape: [count, 224, 224, 3])
            let width = featuresF32.count / max(count, 1)
            writer.add("features_f32", Tensor(shape: [count, width], storage: featuresF32))
            writer.add("features_int8", Tensor(shape: [count, width], storage: featuresInt8))
            try writer.write(to: dump)
        }
        let mean = cosines.reduce(0, +) / Double(max(cosines.count, 1))
        print(
            "{\"pictures\": \(sample.pictures), \"files\": \(sample.files), \"cosine_min\": \(cosines.min() ?? 0), "
                + "\"cosine_mean\": \(mean), \"top1_agree\": \(agree)}")
    }
}
