// `vidact cnn-bench`: times a CNN backbone (EfficientNet-Lite0 by default, or ResNet-18/50 with
// --weights) on oneDNN over random 224x224 inputs and prints one JSON line; for scripts/bench/cnn,
// hidden from help. The network is made by `Backbone.load`, as for `classify` and `features
// extract`, so the benchmark times exactly what they run. `--dump FILE` also writes the input and
// the logits of the last timed pass, so the script can check them against PyTorch on that input.
import ArgumentParser
import ConvNets
import Foundation
import SafeTensors
import TensorCore

struct CNNBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnn-bench", abstract: "Time the CNN on random inputs (for benchmarks).", shouldDisplay: false)

    @Option(help: "Images per forward pass.")
    var batch: Int = 16

    @Option(help: "Timed forward passes (after one warm-up).")
    var iterations: Int = 5

    @OptionGroup var cnn: BackboneOptionGroup

    @Option(help: "Also write `input` [N, 3, 224, 224] and `logits` [N, 1000] (F32 safetensors) to this file.")
    var dump: String?

    @Flag(
        help: """
            Time from random RGB24 pictures (normalised with the backbone's recipe inside the timed pass), \
            as extraction runs it, instead of from a normalised tensor.
            """)
    var fromBytes = false

    func validate() throws {
        if batch < 1 || iterations < 1 { throw ValidationError("--batch and --iterations must be positive") }
        if fromBytes && dump != nil { throw ValidationError("--dump writes a normalised input: not with --from-bytes") }
    }

    mutating func run() throws {
        let network = try cnn.load()
        var rng = SeededRNG(seed: 1)
        let size = Backbone.inputSize
        let input = Tensor.uniform(shape: [batch, 3, size, size], -1, 1, using: &rng)
        var pictures: [[UInt8]] = []
        if fromBytes {
            pictures = (0..<batch).map { _ in
                (0..<(3 * size * size)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
        }
        func pass() throws -> BackboneOutput {
            fromBytes ? try network.forward(rgb24: pictures) : try network.forward(input, gridCells: 2)
        }
        var output = try pass()
        var seconds: [Double] = []
        for _ in 0..<iterations {
            let start = Date()
            output = try pass()
            seconds.append(Date().timeIntervalSince(start))
        }
        if let dump {
            var writer = SafeTensorsWriter(metadata: [
                "generator": "vidact cnn-bench", "backbone": cnn.backbone.rawValue,
            ])
            writer.add("input", input)
            writer.add("logits", output.logits)
            try writer.write(to: dump)
        }
        let sorted = seconds.sorted()
        let median = sorted[sorted.count / 2]
        print(
            "{\"backbone\": \"\(cnn.backbone.rawValue)\", \"precision\": \"\(cnn.precision.rawValue)\", "
                + "\"batch\": \(batch), \"input\": \"\(fromBytes ? "rgb24" : "tensor")\", \"median_seconds\": \(median), "
                + "\"images_per_second\": \(Double(batch) / median)}")
    }
}
