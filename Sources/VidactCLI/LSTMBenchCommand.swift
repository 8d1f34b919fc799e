// `vidact lstm-bench`: times LSTM training steps (forward, backward, Adam) and batched inference on
// random features and prints one JSON line; for scripts/bench/lstm, hidden from help. The model is
// projection-free: LSTM → head (10 classes, clip task, last-step pooling), all sequences full length.
import ArgumentParser
import Foundation
import SequenceModels
import TensorCore

struct LSTMBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lstm-bench", abstract: "Time LSTM training and inference (for benchmarks).", shouldDisplay: false)

    @Option(help: "Feature width D.") var input: Int = 1280
    @Option(help: "Hidden size H.") var hidden: Int = 512
    @Option(help: "Sequences per batch.") var batch: Int = 64
    @Option(help: "Time steps T.") var steps: Int = 32
    @Option(help: "LSTM layers.") var layers: Int = 1
    @Flag(help: "Bidirectional LSTM.") var bidirectional = false
    @Option(help: "Timed iterations of each kind (after one warm-up).") var iterations: Int = 5

    func validate() throws {
        if [input, hidden, batch, steps, layers, iterations].contains(where: { $0 < 1 }) {
            throw ValidationError("sizes and --iterations must be positive")
        }
    }

    mutating func run() throws {
        let config = SequenceClassifierConfiguration(
            inputSize: input, hiddenSize: hidden, layers: layers, bidirectional: bidirectional, classCount: 10,
            task: .clip(.last))
        var model = SequenceClassifier(configuration: config, seed: 1)
        var rng = SeededRNG(seed: 2)
        let examples = (0..<batch).map { n in
            SequenceExample(features: .normal(shape: [steps, input], using: &rng), clipLabel: n % 10)
        }
        var optimizer = AdamOptimizer(kind: .adam, parameterCount: model.parameters.count)
        func median(_ body: () throws -> Void) rethrows -> Double {
            try body()
            var seconds: [Double] = []
            for _ in 0..<iterations {
                let start = Date()
                try body()
                seconds.append(Date().timeIntervalSince(start))
            }
            return seconds.sorted()[seconds.count / 2]
        }
        let train = try median {
            _ = try model.trainStep(examples, optimizer: &optimizer, learningRate: 1e-4, rng: &rng)
        }
        let infer = try median { _ = try model.predict(batch: examples) }
        print(
            "{\"tool\": \"vidact\", \"layers\": \(layers), \"bidirectional\": \(bidirectional), \"batch\": \(batch), "
                + "\"train_step_seconds\": \(train), \"inference_seconds\": \(infer), "
                + "\"inference_sequences_per_second\": \(Double(batch) / infer)}")
    }
}
