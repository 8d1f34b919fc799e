// The predict step: each video to do is labelled from its cached volume with the model (one
// prediction row per video and model in the catalog, replaced when the content changes), then
// `predictions.csv` and `predictions.jsonl` in the workdir are rewritten atomically from the
// catalog: every current video's latest prediction by this model (video, label, probability,
// top-K; segments for the frames task).
import Basics
import Catalog
import Datasets
import FeatureStore
import Foundation
import SafeTensors
import SequenceModels
import Training

extension PipelineRunner {
    func predict(_ units: [PlanUnit], runID: String) throws -> [UnitOutcome] {
        let (id, folder, trained) = modelState()
        guard let modelID = id, let folder, trained else { return [] }
        if TrainedCaptionModel.isCaptionModel(folder) {
            return try predictCaptions(units, runID: runID, modelID: modelID, folder: folder)
        }
        let model = try TrainedModel(path: folder + "/best.safetensors")
        let topK = config.predict?.topK ?? 5
        let outcomes = try predictUnits(units, runID: runID) { video in
            let sha = try contentHash(video, record: false)
            guard case .valid(let path, _) = try store.lookup(key: spec.key, videoSHA256: sha) else {
                throw DatasetError(
                    .notCached, file: video.path, "has no cached features (its extract unit failed or did not run)")
            }
            let prediction = try model.predict(try FeatureFile.read(path), source: video.path, featureFile: path)
            let top = prediction.top(topK).map {
                ["label": model.labelNames[$0.index], "probability": Double($0.probability)]
            }
            let segments = prediction.segments.map {
                [
                    "label": model.labelNames[$0.label], "start": $0.start, "end": $0.end,
                    "confidence": Double($0.confidence),
                ]
                    as [String: Any]
            }
            try catalog.recordPredictions([
                PredictionRecord(
                    runID: runID, videoPath: video.relativePath, videoSHA256: sha, modelName: modelID,
                    label: top.first?["label"] as? String ?? "",
                    probability: top.first?["probability"] as? Double ?? 0,
                    topKJSON: Self.json(top), segmentsJSON: segments.isEmpty ? nil : Self.json(segments),
                    created: Date())
            ])
            return sha
        }
        try writePredictionFiles(modelID: modelID)
        return outcomes
    }

    func predictCaptions(_ units: [PlanUnit], runID: String, modelID: String, folder: String) throws -> [UnitOutcome] {
        let model = try TrainedCaptionModel(path: folder)
        let outcomes = try predictUnits(units, runID: runID) { video in
            try predictCaption(model, video: video, runID: runID, modelID: modelID)
        }
        try writeCaptionFiles(modelID: modelID)
        return outcomes
    }

    /// Runs `body` on each unit's video and records the outcome (`body` returns the fingerprint);
    /// one video's failure is recorded and the others go on, a catalog error stops the step.
    func predictUnits(
        _ units: [PlanUnit], runID: String, _ body: (DatasetVideo) throws -> String
    ) throws -> [UnitOutcome] {
        let byName = Dictionary(uniqueKeysWithValues: dataset.videos.map { ($0.relativePath, $0) })
        var outcomes: [UnitOutcome] = []
        for unit in units {
            guard let video = byName[unit.name] else { continue }
            let started = Date()
            do {
                let fingerprint = try body(video)
                try record(.predict, unit.name, runID: runID, started: started, reason: nil, fingerprint: fingerprint)
                outcomes.append(UnitOutcome(unit: unit.name, reason: nil))
            } catch let error as CatalogError {
                throw error
            } catch {
                try record(
                    .predict, unit.name, runID: runID, started: started, reason: "\(error)",
                    kind: Self.failureKind("predict", errno: errnoOf(error)))
                outcomes.append(UnitOutcome(unit: unit.name, reason: "\(error)", errno: errnoOf(error)))
            }
        }
        return outcomes
    }

    /// Rewrites predictions.csv and predictions.jsonl from the catalog (current videos only).
    func writePredictionFiles(modelID: String) throws {
        let current = Set(dataset.videos.map(\.relativePath))
        let rows = try catalog.predictions(model: modelID).filter { current.contains($0.videoPath) }
            .sorted { $0.videoPath < $1.videoPath }
        var csv = ["video,label,probability,top_k,model"]
        var jsonl: [String] = []
        for row in rows {
            csv.append(
                [row.videoPath, row.label, String(format: "%.6f", row.probability), row.topKJSON ?? "[]", modelID]
                    .map(CSV.field).joined(separator: ","))
            var object: [String: Any] = [
                "video": row.videoPath, "sha256": row.videoSHA256, "label": row.label, "probability": row.probability,
                "model": modelID,
            ]
            if let top = row.topKJSON, let parsed = try? JSONSerialization.jsonObject(with: Data(top.utf8)) {
                object["top_k"] = parsed
            }
            if let segments = row.segmentsJSON,
                let parsed = try? JSONSerialization.jsonObject(with: Data(segments.utf8))
            {
                object["segments"] = parsed
            }
            jsonl.append(Self.json(object))
        }
        try AtomicFile.write(Array((csv.joined(separator: "\n") + "\n").utf8), to: config.workdir + "/predictions.csv")
        try AtomicFile.write(Array((jsonl.map { $0 + "\n" }.joined()).utf8), to: config.workdir + "/predictions.jsonl")
    }

    static func json(_ object: Any) -> String {
        let data =
            (try? CanonicalJSON.data(object: object))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
