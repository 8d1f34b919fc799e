// `vidact train --data MANIFEST --workdir W --task clip|frames|caption --out MODEL_DIR`: trains an
// LSTM on the cached features of a manifest's videos (`SequenceTraining.run`) or, for the caption
// task, a caption model on a caption file (`CaptionTraining.run`); one progress line per epoch on
// stderr, and a summary of what was written on stdout.
import ArgumentParser
import Foundation
import Pipeline
import SequenceModels
import Training

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a sequence model on cached features.",
        discussion: """
            MANIFEST is a CSV with the header video,label,split (paths relative to the CSV; split train, val
            or test). Classes are the label names sorted (for --task frames: the labels of the --segments CSV,
            video,start,end,label in seconds or video,start_frame,end_frame,label). Features are read from
            the workdir's cache under --extractor KEY (default: the workdir's only key); a video not cached
            is an error naming the `vidact features extract` command for it. MODEL_DIR gets best.safetensors,
            checkpoint-last.safetensors (a rerun resumes from it) and train_log.csv.
            --task caption: --data is a caption CSV (video,split,caption; several rows per video) and the model
            writes a sentence per video: --architecture s2vt or mean-pool, --hidden, --projection (default 256),
            --embedding, --max-words (captions are cut to it; also the decoding limit), --min-count, --beam and
            --length-penalty (decoding defaults stored in the model). Its validation metric is word accuracy
            under teacher forcing; `vidact evaluate` gives BLEU, ROUGE-L and CIDEr-D.
            """)

    @Option(help: "Manifest CSV (video,label,split); for --task caption a caption CSV (video,split,caption).")
    var data: String
    @OptionGroup var workdir: WorkdirOption
    @Option(help: "clip (one label per video) or frames (one label per sampled frame).") var task: TaskName = .clip
    @Option(help: "frames task: segments CSV (video,start,end,label).") var segments: String?
    @Option(help: "Extractor key of the features (default: the workdir's only key).") var extractor: String?
    @Option(help: "Output folder of the model.") var out: String
    @OptionGroup var hyper: TrainingOptionGroup
    @OptionGroup var caption: CaptionModelOptions
    @OptionGroup var decoding: CaptionDecodingOptions

    enum TaskName: String, ExpressibleByArgument, CaseIterable {
        case clip, frames, caption
    }

    func validate() throws {
        if task == .frames && segments == nil { throw ValidationError("--task frames needs --segments FILE") }
        if task != .frames && segments != nil { throw ValidationError("--segments is for --task frames") }
    }

    mutating func run() throws {
        if task == .caption { return try runCaption() }
        let request = TrainingRequest(
            manifest: data, workdir: workdir.workdir, extractorKey: extractor, segments: segments,
            task: task == .clip ? .clip(hyper.pooling) : .frames, shape: hyper.shape, training: hyper.trainer,
            outputFolder: out)
        let epochs = hyper.epochs
        let result = try SequenceTraining.run(
            request,
            onStart: { start in
                printError(
                    "vidact: \(start.trainCount) train, \(start.validationCount) val videos, "
                        + "\(start.labelNames.count) classes, extractor \(start.extractorKey)")
            },
            onEpoch: { printError(Self.progressLine($0, epochs: epochs)) })
        let best = result.log.max { $0.validationAccuracy < $1.validationAccuracy }
        print("model: \(result.bestPath)")
        print("log:   \(result.logPath)")
        if let best {
            print(String(format: "best:  epoch %d, validation accuracy %.4f", best.epoch, best.validationAccuracy))
        }
        print("classes: \(result.labelNames.joined(separator: ", "))")
    }

    func runCaption() throws {
        let defaults = CaptionDecoding()
        let shape = CaptionModelShape(
            architecture: caption.architecture, projectionSize: hyper.projection ?? 256, hiddenSize: hyper.hidden,
            embeddingSize: caption.embedding, inputs: hyper.inputs, labelSmoothing: caption.labelSmoothing,
            maxWords: decoding.maxWords ?? defaults.maxLength, minimumCount: caption.minCount,
            decoding: decoding.decoding(over: defaults) ?? defaults, seed: hyper.seed,
            attentionSize: caption.attentionSize, inputDropout: hyper.inputDropout,
            scheduledSampling: caption.scheduledSampling)
        let epochs = hyper.epochs
        let log = try CaptionTraining.run(
            captions: data, workdir: workdir.workdir, extractorKey: extractor, shape: shape, training: hyper.trainer,
            outputFolder: out,
            onStart: { start in
                printError(
                    "vidact: \(start.trainVideos) train videos (\(start.trainCaptions) captions), "
                        + "\(start.validationVideos) val videos, vocabulary \(start.vocabularySize) words, "
                        + String(format: "unknown words %.2f %%, ", 100 * start.coverage.unknownRate)
                        + "\(start.coverage.truncatedCaptions) captions cut to \(shape.maxWords) words, "
                        + "\(start.emptyCaptions) empty captions skipped, extractor \(start.extractorKey)")
            },
            onEpoch: { printError(Self.progressLine($0, epochs: epochs)) })
        print("model: \(out)/best.safetensors")
        print("log:   \(out)/train_log.csv")
        if let best = log.max(by: { $0.validationAccuracy < $1.validationAccuracy }) {
            print(String(format: "best:  epoch %d, validation word accuracy %.4f", best.epoch, best.validationAccuracy))
        }
    }

    static func progressLine(_ row: TrainingLogRow, epochs: Int) -> String {
        String(
            format: "epoch %d/%d  train loss %.4f acc %.3f  val loss %.4f acc %.3f  lr %.2e  %.1f s", row.epoch, epochs,
            row.trainLoss, row.trainAccuracy, row.validationLoss, row.validationAccuracy, row.learningRate,
            row.seconds)
    }
}
