// The options of caption models: architecture and text settings for `vidact train --task caption`,
// and the decoding settings that `train` stores as defaults and `predict` / `evaluate` may override.
import ArgumentParser
import SequenceModels
import Training

struct CaptionDecodingOptions: ParsableArguments {
    @Option(help: "Beam width of caption decoding (1: greedy; default: the model's).") var beam: Int?
    @Option(
        name: .customLong("length-penalty"),
        help: "Length penalty alpha of beam search: log-probability / ((5 + length) / 6)^alpha (default: the model's).")
    var lengthPenalty: Double?
    @Option(name: .customLong("max-words"), help: "Longest caption decoded, in words (default: the model's).")
    var maxWords: Int?

    func validate() throws {
        if let beam, beam < 1 { throw ValidationError("--beam must be at least 1") }
        if let lengthPenalty, lengthPenalty < 0 { throw ValidationError("--length-penalty cannot be negative") }
        if let maxWords, maxWords < 1 { throw ValidationError("--max-words must be at least 1") }
    }

    /// The model's defaults with these overrides, or nil when none is given.
    func decoding(over defaults: CaptionDecoding) -> CaptionDecoding? {
        guard beam != nil || lengthPenalty != nil || maxWords != nil else { return nil }
        return CaptionDecoding(
            beam: beam ?? defaults.beam, lengthPenalty: lengthPenalty ?? defaults.lengthPenalty,
            maxLength: maxWords ?? defaults.maxLength)
    }
}

struct CaptionModelOptions: ParsableArguments {
    @Option(
        help:
            "caption task: s2vt (stacked LSTM encoder-decoder), attention (encoder LSTM + soft attention over its outputs) or mean-pool (the order-blind baseline)."
    )
    var architecture: CaptionArchitecture = .s2vt
    @Option(help: "caption task: width of the word embeddings.") var embedding: Int = 128
    @Option(name: .customLong("min-count"), help: "caption task: training words seen fewer times become <unk>.")
    var minCount: Int = 1
    @Option(name: .customLong("label-smoothing"), help: "caption task: label smoothing of the word loss.")
    var labelSmoothing: Float = 0
    @Option(
        name: .customLong("scheduled-sampling"),
        help: ArgumentHelp(
            "caption task: probability of feeding the decoder its own previous word instead of the reference "
                + "while training (parallel scheduled sampling; default 0: teacher forcing).",
            valueName: "p"))
    var scheduledSampling: Float = 0
    @Option(
        name: .customLong("attention-size"),
        help: "caption task, attention: width of the attention layer (default: --hidden).")
    var attentionSize: Int?

    func validate() throws {
        if let attentionSize, attentionSize < 1 { throw ValidationError("--attention-size must be at least 1") }
        if embedding < 1 || minCount < 1 { throw ValidationError("--embedding and --min-count must be at least 1") }
        if !(labelSmoothing >= 0 && labelSmoothing < 1) { throw ValidationError("--label-smoothing must be in [0, 1)") }
        if !(scheduledSampling >= 0 && scheduledSampling <= 1) {
            throw ValidationError("--scheduled-sampling must be in [0, 1]")
        }
    }
}

extension CaptionArchitecture: ExpressibleByArgument {}
