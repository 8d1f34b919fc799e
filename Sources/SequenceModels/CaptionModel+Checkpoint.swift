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
        all["task"] = "caption"
        return ModelCheckpoint.writer(
            layout: layout, parameters: parameters, format: Self.checkpointFormat, version: Self.checkpointVersion,
            configurationJSON: configurationJSON, metadata: all)
    }

    /// Loads a checkpoint strictly (`ModelCheckpoint`).
    public init(checkpoint path: String) throws {
        let (loader, configuration) = try ModelCheckpoint.open(
            path, format: Self.checkpointFormat, version: Self.checkpointVersion, as: CaptionModelConfiguration.self,
            what: "a caption model written by vidact train")
        self.init(configuration: configuration, seed: 0)
        try ModelCheckpoint.load(loader, layout: layout, into: &parameters)
    }
}
