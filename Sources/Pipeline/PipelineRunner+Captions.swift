// The caption task's train, predict and evaluate units (`train.task: caption` on a `captions`
// dataset). Train: the caption rows of videos whose volumes are cached are written to
// `<workdir>/dataset/captions.csv` (absolute paths; a failed video never stops training) and
// `vidact train --task caption`'s library call trains into the model folder; with
// `train.baseline`, the mean-pool model on the appearance features (same sizes, budget and decoding) trains into its
// `baseline/` subfolder. Predict: one caption per video, kept in the catalog (label = caption,
// probability = its log-probability) and written to `<workdir>/captions.csv` and
// `captions.jsonl`. Evaluate: BLEU/ROUGE-L/CIDEr-D and event scores into
// `evaluation-<split>.json`, the baseline's beside them.
import Basics
import Catalog
import Datasets
import FeatureStore
import Foundation
import SequenceModels
import TextMetrics
import Training

extension PipelineRunner {
    func trainCaptions(_ train: PipelineConfig.Train, folder: String, modelID: String) throws {
        guard let settings = train.caption else {
            preconditionFailure("trainCaptions: a caption task without settings")
        }
        let captions = try writeCaptionsFile()
        var shape = CaptionModelShape(
            architecture: settings.architecture, projectionSize: train.projection ?? 256, hiddenSize: train.hidden,
            embeddingSize: settings.embedding, inputs: train.inputs, labelSmoothing: Float(settings.labelSmoothing),
            maxWords: settings.maxWords, minimumCount: settings.minCount,
            decoding: CaptionDecoding(
                beam: settings.beam, lengthPenalty: settings.lengthPenalty, maxLength: settings.maxWords),
            seed: UInt64(train.seed), attentionSize: settings.attentionSize, inputDropout: Float(train.inputDropout),
            scheduledSampling: Float(settings.scheduledSampling ?? 0))
        let training = trainerConfiguration(train)
        let onEpoch = { [log] (row: TrainingLogRow) in
            log.event(
                "epoch",
                [
                    "epoch": row.epoch, "train_loss": Double(row.trainLoss),
                    "val_word_accuracy": Double(row.validationAccuracy), "seconds": row.seconds,
                ])
        }
        var vocabularySize = 0
        let rows = try CaptionTraining.run(
            captions: captions, workdir: config.workdir, extractorKey: spec.key, shape: shape, training: training,
            outputFolder: folder, onStart: { vocabularySize = $0.vocabularySize }, onEpoch: onEpoch)
        var complete: [String: Any] = [
            "model": modelID, "best": folder + "/best.safetensors", "extractor_key": spec.key, "task": "caption",
            "vocabulary": vocabularySize, "best_val_word_accuracy": Double(rows.map(\.validationAccuracy).max() ?? 0),
            "created": FeatureStore.timestamp(),
        ]
        if train.baseline {
            // The order-blind baseline reads the appearance features only: the mean of their
            // differences is the last frame minus the first, which knows the direction of time.
            shape.architecture = .meanPool
            shape.inputs = .features
            let baseline = try CaptionTraining.run(
                captions: captions, workdir: config.workdir, extractorKey: spec.key, shape: shape, training: training,
                outputFolder: folder + "/baseline", onEpoch: onEpoch)
            complete["baseline"] = folder + "/baseline/best.safetensors"
            complete["baseline_best_val_word_accuracy"] = Double(baseline.map(\.validationAccuracy).max() ?? 0)
        }
        let data = try CanonicalJSON.data(object: complete, pretty: true)
        try AtomicFile.write(Array(data), to: folder + "/complete.json")
    }

    /// Writes the caption rows of videos with cached volumes as `<workdir>/dataset/captions.csv`.
    func writeCaptionsFile() throws -> String {
        guard case .captions(let file) = config.dataset.source else {
            preconditionFailure("writeCaptionsFile: not a captions dataset")
        }
        let table = try CaptionTable.load(path: file, splits: true)
        var cached: [String: Bool] = [:]
        let byPath = Dictionary(dataset.videos.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var lines = ["video,split,caption"]
        for row in table.rows {
            if cached[row.path] == nil {
                cached[row.path] =
                    byPath[row.path].map { video in
                        guard let sha = try? contentHash(video, record: false),
                            case .valid = try? store.lookup(key: spec.key, videoSHA256: sha)
                        else { return false }
                        return true
                    } ?? false
            }
            guard cached[row.path] == true, let split = row.split else { continue }
            lines.append(CSV.row([row.path, split.rawValue, row.caption]))
        }
        let folder = config.workdir + "/dataset"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/captions.csv"
        try AtomicFile.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: path)
        return path
    }

    /// The caption of one video, recorded in the catalog; returns the video's SHA-256.
    func predictCaption(
        _ model: TrainedCaptionModel, video: DatasetVideo, runID: String, modelID: String
    ) throws
        -> String
    {
        let sha = try contentHash(video, record: false)
        guard case .valid(let path, _) = try store.lookup(key: spec.key, videoSHA256: sha) else {
            throw DatasetError(
                .notCached, file: video.path, "has no cached features (its extract unit failed or did not run)")
        }
        let caption = try model.caption(try FeatureFile.read(path).features, source: video.path)
        // A caption's details (finished, attention weights) live in the top-k column as an object.
        var details: [String: Any] = ["finished": caption.finished]
        if let attention = caption.attention { details["attention"] = attention.map { $0.map(Double.init) } }
        try catalog.recordPredictions([
            PredictionRecord(
                runID: runID, videoPath: video.relativePath, videoSHA256: sha, modelName: modelID,
                label: caption.caption, probability: caption.logProbability, topKJSON: Self.json(details),
                created: Date())
        ])
        return sha
    }

    /// Rewrites captions.csv and captions.jsonl from the catalog (current videos only).
    func writeCaptionFiles(modelID: String) throws {
        let current = Set(dataset.videos.map(\.relativePath))
        let rows = try catalog.predictions(model: modelID).filter { current.contains($0.videoPath) }
            .sorted { $0.videoPath < $1.videoPath }
        var csv = ["video,caption,log_probability,model"]
        var jsonl: [String] = []
        for row in rows {
            csv.append(CSV.row([row.videoPath, row.label, String(format: "%.6f", row.probability), modelID]))
            var object: [String: Any] = [
                "video": row.videoPath, "sha256": row.videoSHA256, "caption": row.label,
                "log_probability": row.probability, "model": modelID,
            ]
            if let details = row.topKJSON.flatMap({ try? JSONSerialization.jsonObject(with: Data($0.utf8)) })
                as? [String: Any]
            {
                for (key, value) in details { object[key] = value }
            }
            jsonl.append(Self.json(object))
        }
        try AtomicFile.write(Array((csv.joined(separator: "\n") + "\n").utf8), to: config.workdir + "/captions.csv")
        try AtomicFile.write(Array((jsonl.map { $0 + "\n" }.joined()).utf8), to: config.workdir + "/captions.jsonl")
    }

    /// The scores of a caption model (and its baseline) on `split`, as evaluation-<split>.json holds them.
    func evaluateCaptions(folder: String, split: DataSplit) throws -> [String: Any] {
        let captions = try writeCaptionsFile()
        func scores(_ model: String) throws -> [String: Any] {
            let report = try CaptionEvaluation.run(
                model: model, captions: captions, workdir: config.workdir, split: split)
            var object: [String: Any] = [
                "videos": report.scores.perVideo.count, "bleu": report.scores.bleu, "rouge_l": report.scores.rougeL,
                "cider_d": report.scores.ciderD, "references_sha256": report.referencesSHA256,
                "beam": report.decoding.beam, "length_penalty": report.decoding.lengthPenalty,
                "tokenizer": CaptionTokenizer.version,
                "per_video": zip(report.scores.perVideo, report.hypotheses).map { scores, hypothesis in
                    [
                        "video": scores.video, "caption": hypothesis.caption, "bleu": scores.bleu,
                        "rouge_l": scores.rougeL, "cider_d": scores.ciderD,
                    ] as [String: Any]
                },
                "per_video_note": "cider_d per video depends on the evaluated set (its idf)",
            ]
            if let events = report.events {
                object["exact_match"] = events.exactMatch
                object["order_accuracy"] = events.orderAccuracy
                object["swapped_videos"] = events.swappedVideos
                object["event_slots"] = events.eventSlots
                object["colour_accuracy"] = events.colour
                object["shape_accuracy"] = events.shape
                object["parsed"] = events.parsed
            }
            return object
        }
        var object = try scores(folder + "/best.safetensors")
        let baseline = folder + "/baseline/best.safetensors"
        if config.train?.baseline == true, FileManager.default.fileExists(atPath: baseline) {
            object["baseline"] = try scores(baseline)
        }
        return object
    }
}
