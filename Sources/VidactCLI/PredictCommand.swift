// `vidact predict --model MODEL_DIR VIDEO|FEATURE_FILE...`: the top-K classes of each input with
// their probabilities, and for a frames model the segments of equal per-frame argmax, as a table,
// JSON lines or CSV. Videos are looked up in the workdir's cache under the model's extractor key;
// an input that fails is reported and the others go on (exit status 1).
import ArgumentParser
import Basics
import Foundation
import Pipeline
import SequenceModels
import Training

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict labels of videos (from the feature cache) or feature files with a trained model.",
        discussion: """
            A .safetensors argument is read as a feature file; anything else is a video whose features are
            looked up in the workdir under the model's extractor key (extract them first with
            `vidact features extract`). Features of another extractor key are refused.
            CSV columns: video,rank,label,probability (clip) or video,start,end,label,confidence (frames).
            """)

    @Option(help: "A vidact train output folder or a checkpoint file.") var model: String
    @Argument(help: "Videos or feature .safetensors files.") var inputs: [String]
    @Option(help: "Classes listed per input.") var top: Int = 5
    @Option(help: "Output: table, json (one object per line) or csv.") var format: OutputFormat = .table
    @OptionGroup var workdir: WorkdirOption
    @OptionGroup var decoding: CaptionDecodingOptions

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1") }
    }

    mutating func run() throws {
        if TrainedCaptionModel.isCaptionModel(model) { return try runCaption() }
        let trained = try TrainedModel(path: model)
        let frames = trained.task == .frames
        if format == .csv {
            print(frames ? "video,start,end,label,confidence" : "video,rank,label,probability")
        }
        try forEachInput { input in
            let (volume, file) = try trained.volume(of: input, workdir: workdir.workdir)
            let prediction = try trained.predict(volume, source: input, featureFile: file)
            return render(prediction, names: trained.labelNames, frames: frames)
        }
    }

    /// Prints `body`'s text for each input; a failed input is reported (a JSON line with --format
    /// json) and the others go on; then exit status 1 if any failed.
    func forEachInput(_ body: (String) throws -> String) throws {
        var failed = 0
        for input in inputs {
            do {
                print(try body(input))
            } catch {
                failed += 1
                if format == .json {
                    print(JSONLine.encode(["source": input, "error": "\(error)"]))
                } else {
                    printError("vidact: \(error)")
                }
            }
        }
        if failed > 0 { throw SomeInputsFailed() }
    }

    /// A caption model: one sentence per input (CSV video,caption,log_probability,finished).
    func runCaption() throws {
        let trained = try TrainedCaptionModel(path: model)
        let settings = decoding.decoding(over: trained.decoding)
        if format == .csv { print("video,caption,log_probability,finished") }
        try forEachInput { input in
            let caption = try trained.caption(
                trained.features(of: input, workdir: workdir.workdir), source: input, decoding: settings)
            switch format {
            case .table:
                return "\(input)\n  \(caption.caption)" + String(format: "  (log p %.3f)", caption.logProbability)
            case .json:
                var object: [String: Any] = [
                    "source": input, "caption": caption.caption, "log_probability": caption.logProbability,
                    "finished": caption.finished,
                ]
                if let attention = caption.attention { object["attention"] = attention.map { $0.map(Double.init) } }
                return JSONLine.encode(object)
            case .csv:
                return CSV.row([
                    input, caption.caption, String(format: "%.6f", caption.logProbability), "\(caption.finished)",
                ])
            }
        }
    }

    func render(_ prediction: VideoPrediction, names: [String], frames: Bool) -> String {
        let top = prediction.top(min(self.top, names.count))
        switch format {
        case .table:
            var lines = [prediction.source]
            for (rank, entry) in top.enumerated() {
                lines.append("  \(rank + 1). \(names[entry.index])  " + String(format: "%.4f", entry.probability))
            }
            for segment in prediction.segments {
                lines.append(
                    String(format: "  %8.2f – %8.2f s  ", segment.start, segment.end) + names[segment.label]
                        + String(format: "  (%.3f, %d frames)", segment.confidence, segment.frameCount))
            }
            return lines.joined(separator: "\n")
        case .json:
            var object: [String: Any] = [
                "source": prediction.source,
                "top": top.map { ["label": names[$0.index], "probability": Double($0.probability)] },
            ]
            if let file = prediction.featureFile { object["feature_file"] = file }
            if frames {
                object["segments"] = prediction.segments.map {
                    [
                        "start": $0.start, "end": $0.end, "label": names[$0.label], "confidence": $0.confidence,
                        "first_frame": $0.firstFrame, "frames": $0.frameCount,
                    ] as [String: Any]
                }
            }
            return JSONLine.encode(object)
        case .csv:
            let video = CSV.field(prediction.source)
            if frames {
                return prediction.segments.map {
                    "\(video),\($0.start),\($0.end),\(CSV.field(names[$0.label])),\(String(format: "%.6f", $0.confidence))"
                }.joined(separator: "\n")
            }
            return top.enumerated().map { rank, entry in
                "\(video),\(rank + 1),\(CSV.field(names[entry.index])),\(String(format: "%.6f", entry.probability))"
            }.joined(separator: "\n")
        }
    }

}
