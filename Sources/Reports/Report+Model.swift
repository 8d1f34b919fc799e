// The model section of a run's report. The model is the one the run's configuration trained (the
// catalog's model row with the run's config hash, else the newest complete
// `<workdir>/models/<train.name>-*` folder) or the one its predict section names. From its folder:
// the class names (`complete.json`), the scores of `evaluation-<split>.json`, and the training
// curves of `train_log.csv` (`epoch,train_loss,train_accuracy,val_loss,val_accuracy,…`). Scores
// are kept as fractions (0–1) whatever the file's scale: the clip task's evaluation stores
// fractions, the frames task's (`FrameMetrics`, as MS-TCN) percentages, which are divided by 100
// here so that the page shows every score as a percentage. The confusion matrix and per-class
// precision/recall/F1 are computed from the catalog's predictions of the evaluated split: over
// labelled videos for the clip task, over annotated frames for the frames task
// (`Report+Frames.swift`).
import Catalog
import Datasets
import FeatureStore
import Foundation
import Pipeline
import SequenceModels

extension Report {
    /// A model found for a run: its id, folder and task.
    struct FoundModel {
        var name: String
        var folder: String
        var task: String?
        /// The feature extractor key the model was trained on, when known.
        var extractorKey: String?
    }

    static func findModel(_ catalog: Catalog, run: RunRecord, config: PipelineConfig?, workdir: String) -> FoundModel? {
        let records = ((try? catalog.models()) ?? []).filter { $0.configHash == run.configHash }
        if let record = records.max(by: { $0.created < $1.created }) {
            return FoundModel(
                name: record.name, folder: (record.path as NSString).deletingLastPathComponent, task: record.task,
                extractorKey: record.extractorKey)
        }
        if let given = config?.predict?.model, config?.train == nil {
            return FoundModel(name: (given as NSString).lastPathComponent, folder: given, task: nil)
        }
        guard let train = config?.train else { return nil }
        let models = workdir + "/models"
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: models)) ?? [])
            .filter {
                $0.hasPrefix(train.name + "-")
                    && FileManager.default.fileExists(atPath: "\(models)/\($0)/complete.json")
            }
        let newest = candidates.max { modified("\(models)/\($0)") < modified("\(models)/\($1)") }
        return newest.map { FoundModel(name: $0, folder: "\(models)/\($0)", task: train.task.rawValue) }
    }

    static func modified(_ path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }

    static func modelSection(
        _ found: FoundModel, config: PipelineConfig?, dataset: ResolvedDataset?, truth: FrameSegments?,
        predictions: [String: PredictionRecord], workdir: String, notes: inout [String]
    ) -> Model {
        let complete = jsonObject(found.folder + "/complete.json")
        let classes =
            complete?["classes"] as? [String] ?? dataset?.classes ?? Set(predictions.values.map(\.label)).sorted()
        let framesTask = found.task == "frames" || predictions.values.contains { $0.segmentsJSON != nil }
        let captionTask = found.task == "caption" || complete?["task"] as? String == "caption"
        var model = Model(
            name: found.name, task: captionTask ? "caption" : framesTask ? "frames" : "clip",
            classes: captionTask ? [] : classes)
        model.trainLog = trainLog(found.folder + "/train_log.csv")
        if model.trainLog.isEmpty { notes.append("No training log (train_log.csv) in \(found.folder).") }
        let split = (config?.evaluate?.split ?? .test).rawValue
        if let evaluation = jsonObject("\(found.folder)/evaluation-\(split).json") {
            model.evaluatedSplit = split
            model.metrics = metrics(evaluation)
        } else {
            notes.append("The model has not been evaluated on the \(split) split (no evaluation-\(split).json).")
        }
        guard let dataset, !captionTask else { return model }
        if framesTask {
            let key = found.extractorKey ?? complete?["extractor_key"] as? String
            guard
                let confusion = framesConfusion(
                    classes: classes, split: split, dataset: dataset, truth: truth, predictions: predictions,
                    store: FeatureStore(workdir: workdir), extractorKey: key, notes: &notes)
            else { return model }
            model.confusion = confusion
            model.evaluatedSplit = split
            model.perClass = classes.indices.map { (label: classes[$0], scores: confusion.scores(of: $0)) }
            return model
        }
        let index = Dictionary(classes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var confusion = ConfusionMatrix(classCount: classes.count)
        for video in dataset.videos where video.split?.rawValue == split {
            guard let label = video.label, let truth = index[label], let prediction = predictions[video.relativePath],
                let predicted = index[prediction.label]
            else { continue }
            confusion.add(truth: truth, predicted: predicted)
        }
        guard confusion.total > 0 else {
            notes.append("No predictions of labelled \(split) videos: no confusion matrix.")
            return model
        }
        model.confusion = confusion
        model.evaluatedSplit = split
        model.perClass = classes.indices.map { (label: classes[$0], scores: confusion.scores(of: $0)) }
        return model
    }

    /// The scores of an evaluation file, most important first, as fractions: the clip task's keys
    /// hold fractions already, the frames task's (frame accuracy, edit, F1@k) percentages.
    static func metrics(_ object: [String: Any]) -> [Metric] {
        let names: [(key: String, name: String, scale: Double)] = [
            ("accuracy", "accuracy", 1), ("top_k_accuracy", "top-k accuracy", 1), ("macro_f1", "macro F1", 1),
            ("baseline_accuracy", "baseline accuracy (mean-pooled features)", 1),
            ("frame_accuracy", "frame accuracy", 100), ("edit", "edit score", 100),
        ]
        var metrics = names.compactMap { key, name, scale in
            (object[key] as? Double).map { Metric(name: name, value: $0 / scale) }
        }
        // Caption models: raw pycocoevalcap values (shown ×100 like the other scores), the event
        // scores of synthetic captions, and the mean-pool baseline's.
        func captionMetrics(_ object: [String: Any], prefix: String) -> [Metric] {
            var out: [Metric] = []
            if let bleu = object["bleu"] as? [Double], bleu.count == 4 {
                out.append(Metric(name: prefix + "BLEU-4", value: bleu[3]))
            }
            for (key, name) in [
                ("rouge_l", "ROUGE-L"), ("cider_d", "CIDEr-D"), ("exact_match", "exact match"),
                ("order_accuracy", "order accuracy (pairs played backwards)"),
            ] {
                if let value = object[key] as? Double { out.append(Metric(name: prefix + name, value: value)) }
            }
            return out
        }
        metrics += captionMetrics(object, prefix: "")
        if let baseline = object["baseline"] as? [String: Any] {
            metrics += captionMetrics(baseline, prefix: "mean-pool baseline ")
        }
        for entry in object["f1"] as? [[String: Any]] ?? [] {
            guard let overlap = entry["overlap"] as? Double, let f1 = entry["f1"] as? Double else { continue }
            metrics.append(Metric(name: "F1@\(Int((overlap * 100).rounded()))", value: f1 / 100))
        }
        return metrics
    }

    /// The epochs of a `train_log.csv`; empty when the file is absent or unreadable.
    static func trainLog(_ path: String) -> [Epoch] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: ",").map { String($0) }
            guard fields.count >= 5, let epoch = Int(fields[0]) else { return nil }
            let values = fields[1...4].compactMap { Double($0) }
            guard values.count == 4 else { return nil }
            return Epoch(
                epoch: epoch, trainLoss: values[0], trainAccuracy: values[1], validationLoss: values[2],
                validationAccuracy: values[3])
        }
    }

    static func jsonObject(_ path: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
