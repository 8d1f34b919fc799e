// The evaluate step: `vidact evaluate`'s library call on the chosen split of the pipeline's
// dataset (its cached videos), with the scores written to
// `<workdir>/models/<model-id>/evaluation-<split>.json` (and the confusion matrix as SVG for the
// clip task). The file records a fingerprint of the split's videos, so the unit is redone when the
// test set changes.
import Basics
import Catalog
import Datasets
import FeatureStore
import Foundation
import SafeTensors
import SequenceModels
import Training

extension PipelineRunner {
    func evaluate(_ units: [PlanUnit], runID: String, report: inout RunReport) throws -> [UnitOutcome] {
        guard let unit = units.first, let evaluate = config.evaluate else { return [] }
        let (id, folder, _) = modelState()
        guard let modelID = id, let folder else { return [] }
        let started = Date()
        do {
            if config.train?.task == .caption {
                var hashes: [String: String] = [:]
                for video in dataset.videos { hashes[video.relativePath] = try? contentHash(video, record: false) }
                var object = try evaluateCaptions(folder: folder, split: evaluate.split)
                object["model"] = modelID
                object["split"] = evaluate.split.rawValue
                object["task"] = "caption"
                object["test_set"] = testSetFingerprint(hashes: hashes)
                object["created"] = FeatureStore.timestamp()
                let data = try CanonicalJSON.data(object: object, pretty: true)
                try AtomicFile.write(Array(data), to: "\(folder)/evaluation-\(evaluate.split.rawValue).json")
                report.captionEvaluation = CaptionEvaluationSummary(object)
                log.event("evaluation", object.filter { $0.value is Double || $0.value is Int })
                try record(.evaluate, unit.name, runID: runID, started: started, reason: nil, fingerprint: modelID)
                return [UnitOutcome(unit: unit.name, reason: nil)]
            }
            let manifest = try writeManifest()
            let result = try SequenceEvaluation.run(
                EvaluationRequest(
                    model: folder + "/best.safetensors", manifest: manifest, workdir: config.workdir,
                    split: evaluate.split, segments: config.dataset.segments))
            var hashes: [String: String] = [:]
            for video in dataset.videos { hashes[video.relativePath] = try? contentHash(video, record: false) }
            var object: [String: Any] = [
                "model": modelID, "split": evaluate.split.rawValue, "videos": result.videoCount,
                "test_set": testSetFingerprint(hashes: hashes), "created": FeatureStore.timestamp(),
            ]
            switch result.scores {
            case .clip(let metrics):
                object["accuracy"] = metrics.accuracy
                if config.train?.baseline == true {
                    let baseline = try baselineAccuracy(
                        manifest: manifest, split: evaluate.split,
                        labelNames: result.model.labelNames)
                    object["baseline_accuracy"] = baseline
                    report.baselineAccuracy = baseline
                }
                object["top_k_accuracy"] = metrics.topKAccuracy
                object["macro_f1"] = metrics.macroF1
                if evaluate.plot {
                    let svg = metrics.confusion.svg(labelNames: result.model.labelNames)
                    try AtomicFile.write(Array(svg.utf8), to: "\(folder)/confusion-\(evaluate.split.rawValue).svg")
                }
            case .frames(let metrics):
                object["frame_accuracy"] = metrics.accuracy
                object["edit"] = metrics.edit
                object["f1"] = metrics.f1.map { ["overlap": $0.overlap, "f1": $0.f1] }
            }
            let data = try CanonicalJSON.data(object: object, pretty: true)
            try AtomicFile.write(Array(data), to: "\(folder)/evaluation-\(evaluate.split.rawValue).json")
            report.evaluation = result
            log.event("evaluation", object.filter { $0.value is Double || $0.value is Int })
            try record(.evaluate, unit.name, runID: runID, started: started, reason: nil, fingerprint: modelID)
            return [UnitOutcome(unit: unit.name, reason: nil)]
        } catch let error as CatalogError {
            throw error
        } catch {
            try record(
                .evaluate, unit.name, runID: runID, started: started, reason: "\(error)",
                kind: Self.failureKind("evaluate", errno: errnoOf(error)))
            return [UnitOutcome(unit: unit.name, reason: "\(error)", errno: errnoOf(error))]
        }
    }
}

extension PipelineRunner {
    /// Accuracy on `split` of the order-blind baseline (mean of the features over time → linear)
    /// trained on the same train videos as the LSTM: the control that shows what frame order adds.
    func baselineAccuracy(manifest path: String, split: DataSplit, labelNames: [String]) throws -> Double {
        let manifest = try Manifest.load(path: path)
        let features = FeatureDataset(workdir: config.workdir, key: spec.key)
        let train = try features.clipExamples(manifest.entries(.train), labelNames: labelNames)
        let test = try features.clipExamples(manifest.entries(split), labelNames: labelNames)
        guard let width = train.first?.features.shape[1], !test.isEmpty else { return 0 }
        var baseline = MeanPoolBaseline(
            inputSize: width, classCount: labelNames.count, seed: UInt64(config.train?.seed ?? 0))
        try baseline.train(train)
        let correct = try test.filter { example in
            let p = try baseline.predict(example.features)
            return p.indices.max { p[$0] < p[$1] } == example.clipLabel
        }.count
        return Double(correct) / Double(test.count)
    }
}
