// `vidact evaluate --model MODEL_DIR --data MANIFEST --workdir W [--split test]`: scores a trained
// model on one split of a manifest (`SequenceEvaluation.run`). Clip models: accuracy, top-k,
// per-class precision/recall/F1 and the confusion matrix (text; `--plot` writes it as SVG). Frames
// models: frame accuracy, edit score and F1@{10,25,50} as MS-TCN's evaluation code.
import ArgumentParser
import Datasets
import Foundation
import Pipeline
import SequenceModels
import Training

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a trained model on a split of a manifest.",
        discussion: """
            Features come from the workdir's cache under the model's extractor key. Manifest labels are
            matched with the model's class names. For a frames model, --segments defaults to the segments
            file the model was trained with. Percentages of the frames task follow MS-TCN's eval.py.
            """)

    @Option(help: "A vidact train output folder or a checkpoint file.") var model: String
    @Option(help: "Manifest CSV (video,label,split); for a caption model a caption CSV (video,split,caption).")
    var data: String
    @OptionGroup var workdir: WorkdirOption
    @Option(help: "Which rows: train, val or test.") var split: ManifestSplit = .test
    @Option(help: "frames task: segments CSV (default: the one used in training).") var segments: String?
    @Option(name: .customLong("top-k"), help: "k of the top-k accuracy (clip task).") var topK: Int = 5
    @Option(help: "Write the confusion matrix as an SVG file (clip task).") var plot: String?
    @Flag(help: "Print the scores as one JSON object.") var json = false
    @Option(
        name: .customLong("frame-order"),
        help: "caption models: feed each video's frames original, reversed or shuffled (an order diagnostic).")
    var frameOrder: FrameOrder = .original
    @OptionGroup var decoding: CaptionDecodingOptions

    func validate() throws {
        if topK < 1 { throw ValidationError("--top-k must be at least 1") }
        if let plot, !plot.hasSuffix(".svg") { throw ValidationError("--plot must name an .svg file") }
    }

    mutating func run() throws {
        if TrainedCaptionModel.isCaptionModel(model) {
            let trained = try TrainedCaptionModel(path: model)
            let report = try CaptionEvaluation.run(
                model: trained, captions: data, workdir: workdir.workdir, split: split,
                decoding: decoding.decoding(over: trained.decoding), frameOrder: frameOrder)
            print(json ? JSONLine.encode(CaptionEvaluationText.json(report)) : CaptionEvaluationText.text(report))
            return
        }
        if frameOrder != .original { throw CLIError("--frame-order is for caption models") }
        let report = try SequenceEvaluation.run(
            EvaluationRequest(
                model: model, manifest: data, workdir: workdir.workdir, split: split, segments: segments, topK: topK))
        let names = report.model.labelNames
        switch report.scores {
        case .clip(let metrics):
            print(
                json
                    ? JSONLine.encode(EvaluationText.json(metrics, report: report))
                    : EvaluationText.clip(metrics, report: report))
            if let plot {
                do {
                    try Data(metrics.confusion.svg(labelNames: names).utf8).write(to: URL(fileURLWithPath: plot))
                } catch {
                    throw CLIError("\(plot): cannot write the plot: \(error.localizedDescription)")
                }
                if !json { print("plot: \(plot)") }
            }
        case .frames(let metrics):
            if plot != nil {
                throw CLIError("--plot draws the confusion matrix of clip models; this is a frames model")
            }
            print(
                json
                    ? JSONLine.encode(EvaluationText.json(metrics, report: report))
                    : EvaluationText.frames(metrics, report: report))
        }
    }
}

extension ManifestSplit: ExpressibleByArgument {}
extension FrameOrder: ExpressibleByArgument {}
