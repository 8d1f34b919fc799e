// `vidact caption-bench`: times a `CaptionModel` training step and beam-search decoding on random
// features and prints one JSON line; for scripts/bench/caption, hidden from help.
// Training step: gradients zeroed, forward, cross-entropy over every target word, backward,
// global-norm clipping at 5 and an AdamW update (lr 1e-3, weight decay 0.01, the pipeline's
// defaults), on a batch of B videos of T frames, each with K random words (ids 4..<V) and <eos>.
// Decoding: beam search of each video on its own (at most K words, no length penalty) on a copy of
// the model whose <eos> bias is -1e4, so that every video takes exactly K decoder steps with the
// full beam (a random model emits <eos> at arbitrary points, which would make the work differ
// between tools); `decode_steps` counts the decoder steps over all videos.
import ArgumentParser
import Foundation
import SequenceModels
import TensorCore

struct CaptionBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caption-bench", abstract: "Time caption training and decoding (for benchmarks).",
        shouldDisplay: false)

    @Option(help: "s2vt or mean-pool.") var architecture: CaptionArchitecture = .s2vt
    @Option(help: "Feature width D.") var input: Int = 1280
    @Option(help: "Projection size P.") var projection: Int = 512
    @Option(help: "Hidden size H.") var hidden: Int = 512
    @Option(help: "Embedding size E.") var embedding: Int = 512
    @Option(help: "Vocabulary size V.") var vocabulary: Int = 5000
    @Option(help: "Videos per training batch.") var batch: Int = 32
    @Option(help: "Frames per video T.") var steps: Int = 16
    @Option(help: "Words per caption K (an <eos> follows in training).") var words: Int = 20
    @Option(help: "Beam width.") var beam: Int = 5
    @Option(help: "Videos decoded per timed decoding run.") var decodeVideos: Int = 8
    @Option(help: "Timed iterations of each kind (after one warm-up).") var iterations: Int = 5

    func validate() throws {
        let sizes = [input, projection, hidden, embedding, batch, steps, words, beam, decodeVideos, iterations]
        if sizes.contains(where: { $0 < 1 }) {
            throw ValidationError("sizes and --iterations must be positive")
        }
        if architecture == .attention {
            throw ValidationError(
                "--architecture must be s2vt or mean-pool (scripts/bench/caption has no attention model)")
        }
        if vocabulary <= 4 + beam {
            throw ValidationError("--vocabulary must exceed the 4 special ids plus --beam")
        }
    }

    mutating func run() throws {
        let config = CaptionModelConfiguration(
            architecture: architecture, inputSize: input, projectionSize: projection, hiddenSize: hidden,
            embeddingSize: embedding, vocabularySize: vocabulary)
        var model = CaptionModel(configuration: config, seed: 1)
        var rng = SeededRNG(seed: 2)
        let vocabulary = vocabulary
        let examples = (0..<batch).map { _ in
            CaptionExample(
                features: .normal(shape: [steps, input], using: &rng),
                words: (0..<words).map { _ in Int.random(in: 4..<vocabulary, using: &rng) } + [CaptionTokens.eos])
        }
        var optimizer = AdamOptimizer(kind: .adamw, parameterCount: model.parameters.count, weightDecay: 0.01)
        let iterations = iterations
        /// Medians of the wall and process CPU seconds of `iterations` runs after one warm-up.
        func median(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
            func cpuSeconds() -> Double {
                var time = timespec()
                clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
                return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
            }
            try body()
            var (wall, cpu): ([Double], [Double]) = ([], [])
            for _ in 0..<iterations {
                let (start, startCPU) = (Date(), cpuSeconds())
                try body()
                wall.append(Date().timeIntervalSince(start))
                cpu.append(cpuSeconds() - startCPU)
            }
            return (wall.sorted()[wall.count / 2], cpu.sorted()[cpu.count / 2])
        }
        var loss: Float = 0
        // One gradient buffer, zeroed every step, as `Trainer` does.
        var gradients = [Float](repeating: 0, count: model.parameters.count)
        let train = try median {
            gradients.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            loss = try model.trainingStep(examples, rng: &rng, classWeights: nil, gradients: &gradients).loss
            GradientClipping.clipGlobalNorm(&gradients, maxNorm: 5)
            optimizer.update(parameters: &model.parameters, gradients: gradients, learningRate: 1e-3)
        }

        var decoder = model
        guard let headBias = decoder.layout.entry("head.bias") else {
            preconditionFailure("CaptionBenchCommand: the model has no head.bias")
        }
        decoder.parameters[headBias.offset + CaptionTokens.eos] = -1e4
        let videos = (0..<decodeVideos).map { _ in Tensor.normal(shape: [steps, input], using: &rng) }
        let decoding = CaptionDecoding(beam: beam, lengthPenalty: 0, maxLength: words)
        var decodeSteps = 0
        let decode = try median {
            decodeSteps = 0
            for video in videos {
                let caption = try decoder.caption(features: video, decoding: decoding)
                precondition(!caption.finished, "CaptionBenchCommand: the suppressed <eos> was chosen")
                decodeSteps += caption.words.count
            }
        }
        let environment = ProcessInfo.processInfo.environment
        print(
            "{\"tool\": \"vidact\", \"architecture\": \"\(architecture.rawValue)\", \"batch\": \(batch), "
                + "\"train_step_seconds\": \(train.wall), \"train_step_cpu_seconds\": \(train.cpu), \"loss\": \(loss), "
                + "\"decode_seconds\": \(decode.wall), \"decode_cpu_seconds\": \(decode.cpu), "
                + "\"decode_videos\": \(videos.count), \"decode_steps\": \(decodeSteps), "
                + "\"decode_steps_per_second\": \(Double(decodeSteps) / decode.wall), "
                + "\"omp_num_threads\": \"\(environment["OMP_NUM_THREADS"] ?? "")\", "
                + "\"omp_wait_policy\": \"\(environment["OMP_WAIT_POLICY"] ?? "")\", "
                + "\"cpus\": \(ProcessInfo.processInfo.activeProcessorCount)}")
    }
}
