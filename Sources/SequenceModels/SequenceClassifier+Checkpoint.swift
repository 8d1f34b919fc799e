// Model checkpoints: safetensors files that load into PyTorch as they are (see
// scripts/torch_check_checkpoint.py). Format `vidact-sequence-model`, version 1:
//
//   tensors      every parameter under its `state_dict` name, F32: `proj.weight` `[P, D]` and
//                `proj.bias` (only with a projection), `lstm.weight_ih_l0`, `lstm.weight_hh_l0`,
//                `lstm.bias_ih_l0`, `lstm.bias_hh_l0`, … `_reverse` (as `torch.nn.LSTM`, gate
//                order i, f, g, o), `head.weight` `[C, W]`, `head.bias` `[C]`;
//   __metadata__ `format`: "vidact-sequence-model", `version`: "1", `model`: the
//                `SequenceClassifierConfiguration` as JSON (sizes, layers, dropouts, task, and
//                `stepInputs` when the model reads differences: then `proj.weight` / the first
//                `weight_ih` take 2·D or D columns of `SequenceInputs`' encoding), `task`:
//                "clip" or "frames", `pooling`: last|mean|max (clip only), plus the caller's keys
//                (the trainer adds `training`, `epoch`, `validation_accuracy`; the CLI adds label
//                names and the feature extractor key).
//
// A trainer's `checkpoint-last.safetensors` adds `optimizer.*` and `trainer.*` entries, which
// loading a model ignores.

import Basics
import Foundation
import SafeTensors
import TensorCore

extension SequenceClassifier {
    public static let checkpointFormat = "vidact-sequence-model"
    public static let checkpointVersion = "1"

    /// The configuration as canonical JSON (sorted keys), as stored under `model`.
    public var configurationJSON: String {
        CanonicalJSON.string(of: configuration)
    }

    /// A writer holding the parameters and the model metadata merged with `metadata`.
    public func checkpointWriter(metadata: [String: String] = [:]) -> SafeTensorsWriter {
        var all = metadata
        all["format"] = Self.checkpointFormat
        all["version"] = Self.checkpointVersion
        all["model"] = configurationJSON
        switch configuration.task {
        case .clip(let pooling):
            all["task"] = "clip"
            all["pooling"] = pooling.rawValue
        case .frames:
            all["task"] = "frames"
        }
        var writer = SafeTensorsWriter(metadata: all)
        for entry in layout.entries {
            writer.add(entry.name, Tensor(shape: entry.shape, storage: Array(parameters[entry.range])))
        }
        return writer
    }

    /// Loads a checkpoint strictly: every parameter must be present with its shape, and no other
    /// tensor may be there (besides a trainer's `optimizer.*` / `trainer.*`).
    public init(checkpoint path: String) throws {
        let loader = try WeightLoader(path: path)
        let metadata = loader.file.metadata
        guard metadata["format"] == Self.checkpointFormat, metadata["version"] == Self.checkpointVersion else {
            throw SequenceModelError(
                .notACheckpoint, path: path,
                "format \(metadata["format"] ?? "none") version \(metadata["version"] ?? "none"); expected "
                    + "\(Self.checkpointFormat) version \(Self.checkpointVersion) (a file written by vidact train)")
        }
        guard let json = metadata["model"],
            let configuration = try? JSONDecoder().decode(SequenceClassifierConfiguration.self, from: Data(json.utf8))
        else {
            throw SequenceModelError(
                .notACheckpoint, path: path, "metadata \"model\" is missing or not a model configuration")
        }
        self.init(configuration: configuration, seed: 0)
        for entry in layout.entries {
            parameters.replaceSubrange(entry.range, with: try loader.tensor(entry.name, shape: entry.shape).storage)
        }
        try loader.checkAllConsumed { $0.hasPrefix("optimizer.") || $0.hasPrefix("trainer.") }
    }
}
