// `vidact cnn-bench`: times EfficientNet-Lite0 on oneDNN over random 224x224 inputs and prints one
// JSON line; for scripts/bench/cnn, hidden from help.
import ArgumentParser
import ConvNets
import Foundation
import TensorCore

struct CNNBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnn-bench", abstract: "Time the CNN on random inputs (for benchmarks).", shouldDisplay: false)

    @Option(help: "Images per forward pass.")
    var batch: Int = 16

    @Option(help: "Timed forward passes (after one warm-up).")
    var iterations: Int = 5

    @Option(help: "Directory with efficientnet_lite0.safetensors.")
    var models: String = ProcessInfo.processInfo.environment["VIDACT_MODELS"] ?? "models"

    func validate() throws {
        if batch < 1 || iterations < 1 { throw ValidationError("--batch and --iterations must be positive") }
    }

    mutating func run() throws {
        let network = try EfficientNetLite0(
            weights: EfficientNetLite0Weights(path: "\(models)/efficientnet_lite0.safetensors"))
        var rng = SeededRNG(seed: 1)
        let input = Tensor.uniform(shape: [batch, 3, 224, 224], -1, 1, using: &rng)
        _ = try network.forward(input)
        var seconds: [Double] = []
        for _ in 0..<iterations {
            let start = Date()
            _ = try network.forward(input)
            seconds.append(Date().timeIntervalSince(start))
        }
        let sorted = seconds.sorted()
        let median = sorted[sorted.count / 2]
        print("{\"batch\": \(batch), \"median_seconds\": \(median), \"images_per_second\": \(Double(batch) / median)}")
    }
}
