// The train step: one unit per model. The labelled videos whose volumes are cached are written as
// a manifest (`<workdir>/dataset/manifest.csv`, absolute paths), and `vidact train`'s library call
// trains into `<workdir>/models/<model-id>/`, resuming from its per-epoch checkpoint after a kill.
// `complete.json`, written atomically last, marks the unit done.
import Basics
import Catalog
import FeatureStore
import Foundation
import SafeTensors
import SequenceModels
import Training

extension PipelineRunner {
    func train(_ units: [PlanUnit], runID: String, report: inout RunReport) throws -> [UnitOutcome] {
        guard let train = config.train, let unit = units.first else { return [] }
        let started = Date()
        let (id, folderOrNil, _) = modelState()
        guard let folder = folderOrNil, let modelID = id else { return [] }
        do {
            if train.task == .caption {
                try trainCaptions(train, folder: folder, modelID: modelID)
                try catalog.upsertModel(
                    ModelRecord(
                        name: modelID, path: folder + "/best.safetensors", task: train.task.rawValue,
                        extractorKey: spec.key, configHash: config.hash, created: Date()))
                try record(.train, unit.name, runID: runID, started: started, reason: nil, fingerprint: modelID)
                return [UnitOutcome(unit: unit.name, reason: nil)]
            }
            let manifest = try writeManifest()
            let request = TrainingRequest(
                manifest: manifest, workdir: config.workdir, extractorKey: spec.key, segments: config.dataset.segments,
                task: train.task == .frames ? .frames : .clip(train.pooling),
                shape: SequenceModelShape(
                    projectionSize: train.projection, hiddenSize: train.hidden, layers: train.layers,
                    bidirectional: train.bidirectional, lstmDropout: Float(train.dropout),
                    inputDropout: Float(train.inputDropout),
                    inputs: train.inputs,
                    seed: UInt64(train.seed)),
                training: trainerConfiguration(train), outputFolder: folder)
            let result = try SequenceTraining.run(
                request,
                onEpoch: { [log] row in
                    log.event(
                        "epoch",
                        [
                            "epoch": row.epoch, "train_loss": Double(row.trainLoss),
                            "val_accuracy": Double(row.validationAccuracy),
                            "learning_rate": Double(row.learningRate), "seconds": row.seconds,
                        ])
                })
            let best = result.log.map(\.validationAccuracy).max() ?? 0
            let complete: [String: Any] = [
                "model": modelID, "best": result.bestPath, "extractor_key": spec.key, "classes": result.labelNames,
                "train_videos": result.trainCount, "val_videos": result.validationCount,
                "best_val_accuracy": Double(best),
                "created": FeatureStore.timestamp(),
            ]
            let data = try CanonicalJSON.data(object: complete, pretty: true)
            try AtomicFile.write(Array(data), to: folder + "/complete.json")
            try catalog.upsertModel(
                ModelRecord(
                    name: modelID, path: result.bestPath, task: train.task.rawValue, extractorKey: spec.key,
                    configHash: config.hash, created: Date()))
            try record(.train, unit.name, runID: runID, started: started, reason: nil, fingerprint: modelID)
            return [UnitOutcome(unit: unit.name, reason: nil)]
        } catch let error as CatalogError {
            throw error
        } catch {
            let reason = "\(error)"
            try record(
                .train, unit.name, runID: runID, started: started, reason: reason,
                kind: Self.failureKind("train", errno: errnoOf(error)), fingerprint: modelID)
            return [UnitOutcome(unit: unit.name, reason: reason, errno: errnoOf(error))]
        }
    }

    /// The trainer settings of a `train` section.
    func trainerConfiguration(_ train: PipelineConfig.Train) -> TrainerConfiguration {
        let schedule: LearningRateSchedule
        switch train.schedule {
        case .constant: schedule = .constant
        case .cosine: schedule = .cosine(minimumFraction: 0.05)
        }
        return TrainerConfiguration(
            epochs: train.epochs, batchSize: train.batch, learningRate: Float(train.learningRate),
            weightDecay: Float(train.weightDecay), optimizer: train.optimizer,
            schedule: schedule, warmupEpochs: train.warmupEpochs, clipNorm: train.clipNorm.map(Float.init),
            patience: train.patience, seed: UInt64(train.seed), classWeights: nil)
    }

    /// Writes the labelled videos with cached volumes as `<workdir>/dataset/manifest.csv`.
    func writeManifest() throws -> String {
        let folder = config.workdir + "/dataset"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var lines = ["video,label,split"]
        for video in dataset.videos {
            guard let label = video.label, let split = video.split, let sha = try? contentHash(video, record: false),
                case .valid = try store.lookup(key: spec.key, videoSHA256: sha)
            else { continue }
            lines.append([video.path, label, split.rawValue].map(CSV.field).joined(separator: ","))
        }
        let path = folder + "/manifest.csv"
        try AtomicFile.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: path)
        return path
    }

}
