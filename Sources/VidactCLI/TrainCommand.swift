// `vidact train --data MANIFEST --workdir W --task clip|frames --out MODEL_DIR`: trains an LSTM on
// the cached features of a manifest's videos (`SequenceTraining.run`), one progress line per epoch
// on stderr, and a summary of what was written on stdout.
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
            """)

    @Option(help: "Manifest CSV (video,label,split).") var data: String
    @OptionGroup var workdir: WorkdirOption
    @Option(help: "clip (one label per video) or frames (one label per sampled frame).") var task: TaskName = .clip
    @Option(help: "frames task: segments CSV (video,start,end,label).") var segments: String?
    @Option(help: "Extractor key of the features (default: the workdir's only key).") var extractor: String?
    @Option(help: "Output folder of the model.") var out: String
    @OptionGroup var hyper: TrainingOptionGroup

    enum TaskName: String, ExpressibleByArgument, CaseIterable {
        case clip, frames
    }

    func validate() throws {
        if task == .frames && segments == nil { throw ValidationError("--task frames needs --segments FILE") }
        if task == .clip && segments != nil { throw ValidationError("--segments is for --task frames") }
    }

    mutating func run() throws {
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

    static func progressLine(_ row: TrainingLogRow, epochs: Int) -> String {
        String(
            format: "epoch %d/%d  train loss %.4f acc %.3f  val loss %.4f acc %.3f  lr %.2e  %.1f s", row.epoch, epochs,
            row.trainLoss, row.trainAccuracy, row.validationLoss, row.validationAccuracy, row.learningRate,
            row.seconds)
    }
}
