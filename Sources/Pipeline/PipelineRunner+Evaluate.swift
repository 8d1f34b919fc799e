// The evaluate step: `vidact evaluate`'s library call on the chosen split of the pipeline's
// dataset (its cached videos), with the scores written to
// `<workdir>/models/<model-id>/evaluation-<split>.json` (and the confusion matrix as SVG for the
// clip task). The file records a fingerprint of the split's videos, so the unit is redone when the
// test set changes.
import Catalog
import FeatureStore
import Foundation
import SafeTensors
import SequenceModels

extension PipelineRunner {
    func evaluate(_ units: [PlanUnit], runID: String, report: inout RunReport) throws -> [UnitOutcome] {
        guard let unit = units.first, let evaluate = config.evaluate else { return [] }
        let (id, folder, _) = modelState()
        guard let modelID = id, let folder else { return [] }
        let started = Date()
        do {
            let manifest = try writeManifest()
            let result = try SequenceEvaluation.run(
                EvaluationRequest(
                    model: folder + "/best.safetensors", manifest: manifest, workdir: config.workdir,
                    split: DataSplit(rawValue: evaluate.split) ?? .test, segments: config.dataset.segments))
            var hashes: [String: String] = [:]
            for video in dataset.videos { hashes[video.relativePath] = try? contentHash(video, record: false) }
            var object: [String: Any] = [
                "model": modelID, "split": evaluate.split, "videos": result.videoCount,
                "test_set": testSetFingerprint(hashes: hashes), "created": FeatureStore.timestamp(),
            ]
            switch result.scores {
            case .clip(let metrics):
                object["accuracy"] = metrics.accuracy
                object["top_k_accuracy"] = metrics.topKAccuracy
                object["macro_f1"] = metrics.macroF1
                if evaluate.plot {
                    let svg = metrics.confusion.svg(labelNames: result.model.labelNames)
                    try AtomicFile.write(Array(svg.utf8), to: "\(folder)/confusion-\(evaluate.split).svg")
                }
            case .frames(let metrics):
                object["frame_accuracy"] = metrics.accuracy
                object["edit"] = metrics.edit
                object["f1"] = metrics.f1.map { ["overlap": $0.overlap, "f1": $0.f1] }
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            try AtomicFile.write(Array(data), to: "\(folder)/evaluation-\(evaluate.split).json")
            report.evaluation = result
            try record(.evaluate, unit.name, runID: runID, started: started, reason: nil, fingerprint: modelID)
            return [UnitOutcome(unit: unit.name, reason: nil)]
        } catch let error as CatalogError {
            throw error
        } catch {
            try record(.evaluate, unit.name, runID: runID, started: started, reason: "\(error)", kind: "evaluate")
            return [UnitOutcome(unit: unit.name, reason: "\(error)")]
        }
    }
}
