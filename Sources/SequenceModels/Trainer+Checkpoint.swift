// The trainer's files: checkpoint-last (a model checkpoint, format in
// `SequenceClassifier+Checkpoint.swift`, `CaptionModel+Checkpoint.swift`, plus what resuming needs), best and the CSV log.
//
// checkpoint-last adds to the model's tensors and metadata:
//   optimizer.m, optimizer.v  F32 `[P]`   Adam moments, in parameter-buffer order
//   trainer.counters          I64 `[7]`   epoch, optimizer step, RNG state (bit pattern), best epoch,
//                                         epochs without improvement, stopped early (0/1), best
//                                         metric (Float bit pattern)
//   metadata `training` (the `TrainerConfiguration` as JSON), `trainer.data` (a fingerprint of the
//   examples: counts, lengths, labels), `trainer.log` (the CSV so far).
// Resuming requires the same `model`, `training` and `trainer.data`; anything else is an
// `incompatibleCheckpoint` error naming what differs (delete the folder to start over).

import Basics
import Foundation
import SafeTensors
import TensorCore

extension Trainer {
    var trainingJSON: String {
        CanonicalJSON.string(of: configuration)
    }

    /// Counts, lengths and labels of the examples, hashed (FNV-1a 64) — enough to notice that a
    /// folder was trained on other data.
    var dataFingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ value: Int) {
            for byte in withUnsafeBytes(of: Int64(value).littleEndian, Array.init) {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        for set in [train, validation] {
            mix(set.count)
            for example in set { Model.fingerprint(example, mix) }
        }
        return "\(train.count) train, \(validation.count) validation, fnv1a64 \(String(hash, radix: 16))"
    }

    /// Metadata of best and last checkpoints: the caller's, the training configuration and the
    /// current validation result.
    func checkpointMetadata() -> [String: String] {
        var all = metadata
        all["training"] = trainingJSON
        all["epoch"] = String(state.epoch)
        if let last = state.log.last {
            all["validation_accuracy"] = String(last.validationAccuracy)
            all["validation_loss"] = String(last.validationLoss)
        }
        all["best_epoch"] = String(state.bestEpoch)
        return all
    }

    func writeLog() throws {
        let text = ([TrainingLogRow.csvHeader] + state.log.map(\.csvLine)).joined(separator: "\n") + "\n"
        try AtomicFile.write(Array(text.utf8), to: logPath)
    }

    func writeCheckpoint() throws {
        var meta = checkpointMetadata()
        meta["trainer.data"] = dataFingerprint
        meta["trainer.log"] = ([TrainingLogRow.csvHeader] + state.log.map(\.csvLine)).joined(separator: "\n")
        var writer = model.checkpointWriter(metadata: meta)
        writer.add("optimizer.m", Tensor(shape: [optimizer.m.count], storage: optimizer.m))
        writer.add("optimizer.v", Tensor(shape: [optimizer.v.count], storage: optimizer.v))
        let counters: [Int64] = [
            Int64(state.epoch), Int64(optimizer.step), Int64(bitPattern: rng.state), Int64(state.bestEpoch),
            Int64(state.epochsWithoutImprovement), state.stoppedEarly ? 1 : 0,
            Int64(state.bestMetric.bitPattern),
        ]
        writer.add("trainer.counters", counters, shape: [counters.count])
        try writer.write(to: checkpointPath)
    }

    /// Restores model, optimizer, RNG and state from checkpoint-last.
    func resume() throws {
        let file = try SafeTensorsFile(path: checkpointPath)
        for (key, expected) in [
            ("model", model.configurationJSON), ("training", trainingJSON), ("trainer.data", dataFingerprint),
        ] where file.metadata[key] != expected {
            throw SequenceModelError(
                .incompatibleCheckpoint, path: checkpointPath,
                "\"\(key)\" is \(file.metadata[key] ?? "missing") but this run has \(expected); "
                    + "use another output folder or delete this one to start over")
        }
        let restored = try Model(checkpoint: checkpointPath)
        let loader = WeightLoader(file: file)
        let count = model.parameters.count
        let m = try loader.tensor("optimizer.m", shape: [count]).storage
        let v = try loader.tensor("optimizer.v", shape: [count]).storage
        let counters = try loader.array("trainer.counters", shape: [7], as: Int64.self)
        model = restored
        optimizer.restore(step: Int(counters[1]), m: m, v: v)
        rng = SeededRNG(seed: UInt64(bitPattern: counters[2]))
        state.epoch = Int(counters[0])
        state.bestEpoch = Int(counters[3])
        state.epochsWithoutImprovement = Int(counters[4])
        state.stoppedEarly = counters[5] != 0
        state.bestMetric = Float(bitPattern: UInt32(truncatingIfNeeded: counters[6]))
        state.log = (file.metadata["trainer.log"] ?? "").split(separator: "\n").dropFirst().compactMap {
            TrainingLogRow(csvLine: String($0))
        }
    }
}

extension TrainingLogRow {
    /// Parses a line written by `csvLine`.
    init?(csvLine: String) {
        let fields = csvLine.split(separator: ",").map(String.init)
        guard fields.count == 7, let epoch = Int(fields[0]), let trainLoss = Float(fields[1]),
            let trainAccuracy = Float(fields[2]), let validationLoss = Float(fields[3]),
            let validationAccuracy = Float(fields[4]), let learningRate = Float(fields[5]),
            let seconds = Double(fields[6])
        else { return nil }
        self.init(
            epoch: epoch, trainLoss: trainLoss, trainAccuracy: trainAccuracy, validationLoss: validationLoss,
            validationAccuracy: validationAccuracy, learningRate: learningRate, seconds: seconds)
    }
}
