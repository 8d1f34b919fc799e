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
        switch configuration.task {
        case .clip(let pooling):
            all["task"] = "clip"
            all["pooling"] = pooling.rawValue
        case .frames:
            all["task"] = "frames"
        }
        return ModelCheckpoint.writer(
            layout: layout, parameters: parameters, format: Self.checkpointFormat, version: Self.checkpointVersion,
            configurationJSON: configurationJSON, metadata: all)
    }

    /// Loads a checkpoint strictly: every parameter must be present with its shape, and no other
    /// tensor may be there (besides a trainer's `optimizer.*` / `trainer.*`).
    public init(checkpoint path: String) throws {
        let (loader, configuration) = try ModelCheckpoint.open(
            path, format: Self.checkpointFormat, version: Self.checkpointVersion,
            as: SequenceClassifierConfiguration.self, what: "a file written by vidact train")
        self.init(configuration: configuration, seed: 0)
        try ModelCheckpoint.load(loader, layout: layout, into: &parameters)
    }
}
