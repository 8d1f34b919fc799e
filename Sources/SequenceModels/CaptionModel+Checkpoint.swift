// Caption model checkpoints: safetensors files that load into the equivalent PyTorch module (see
// scripts/torch_check_caption_checkpoint.py). Format `vidact-caption-model`, version 1:
//
//   tensors      every parameter under its `state_dict` name, F32 (`CaptionModel.swift`);
//   __metadata__ `format`, `version`, `model`: the `CaptionModelConfiguration` as JSON, `task`:
//                "caption", plus the caller's keys (the trainer adds `training`, `epoch`,
//                `validation_accuracy`; `vidact train` adds `vocabulary` (the word list as JSON),
//                `decoding` (beam, length penalty, maximum length) and the feature extractor key).
//
// A trainer's `checkpoint-last.safetensors` adds `optimizer.*` and `trainer.*` entries, which
// loading a model ignores.
import Basics
import Foundation
import SafeTensors
import TensorCore

extension CaptionModel {
    public static let checkpointFormat = "vidact-caption-model"
    public static let checkpointVersion = "1"

    public var configurationJSON: String { CanonicalJSON.string(of: configuration) }

    public func checkpointWriter(metadata: [String: String] = [:]) -> SafeTensorsWriter {
        var all = metadata
        all["format"] = Self.checkpointFormat
        all["version"] = Self.checkpointVersion
        all["model"] = configurationJSON
        all["task"] = "caption"
        var writer = SafeTensorsWriter(metadata: all)
        for entry in layout.entries {
            writer.add(entry.name, Tensor(shape: entry.shape, storage: Array(parameters[entry.range])))
        }
        return writer
    }

    /// Loads a checkpoint strictly (every parameter with its shape, nothing else but a trainer's
    /// `optimizer.*` / `trainer.*`).
    public init(checkpoint path: String) throws {
        let loader = try WeightLoader(path: path)
        let metadata = loader.file.metadata
        guard metadata["format"] == Self.checkpointFormat, metadata["version"] == Self.checkpointVersion else {
            throw SequenceModelError(
                .notACheckpoint, path: path,
                "format \(metadata["format"] ?? "none") version \(metadata["version"] ?? "none"); expected "
                    + "\(Self.checkpointFormat) version \(Self.checkpointVersion) (a caption model written by vidact train)"
            )
        }
        guard let json = metadata["model"],
            let configuration = try? JSONDecoder().decode(CaptionModelConfiguration.self, from: Data(json.utf8))
        else {
            throw SequenceModelError(
                .notACheckpoint, path: path, "metadata \"model\" is missing or not a caption model")
        }
        self.init(configuration: configuration, seed: 0)
        for entry in layout.entries {
            parameters.replaceSubrange(entry.range, with: try loader.tensor(entry.name, shape: entry.shape).storage)
        }
        try loader.checkAllConsumed { $0.hasPrefix("optimizer.") || $0.hasPrefix("trainer.") }
    }
}
