// What every model checkpoint of vidact shares (`SequenceClassifier+Checkpoint`,
// `CaptionModel+Checkpoint`): the parameters under their `state_dict` names, F32, with `format`,
// `version` and the model configuration as JSON (`model`) in the metadata; loading checks the
// format and version, decodes the configuration, and reads every parameter strictly (each present
// with its shape, nothing else but a trainer's `optimizer.*` / `trainer.*`).
import Foundation
import SafeTensors
import TensorCore

enum ModelCheckpoint {
    /// A writer holding `parameters` (laid out by `layout`) and `metadata` plus format, version
    /// and the configuration JSON.
    static func writer(
        layout: ParameterLayout, parameters: [Float], format: String, version: String, configurationJSON: String,
        metadata: [String: String]
    ) -> SafeTensorsWriter {
        var all = metadata
        all["format"] = format
        all["version"] = version
        all["model"] = configurationJSON
        var writer = SafeTensorsWriter(metadata: all)
        for entry in layout.entries {
            writer.add(entry.name, Tensor(shape: entry.shape, storage: Array(parameters[entry.range])))
        }
        return writer
    }

    /// The checkpoint at `path` opened, its format and version checked and its configuration
    /// decoded; `what` names the writer in the error ("a file written by vidact train").
    static func open<Configuration: Decodable>(
        _ path: String, format: String, version: String, as: Configuration.Type, what: String
    ) throws -> (WeightLoader, Configuration) {
        let loader = try WeightLoader(path: path)
        let metadata = loader.file.metadata
        guard metadata["format"] == format, metadata["version"] == version else {
            throw SequenceModelError(
                .notACheckpoint, path: path,
                "format \(metadata["format"] ?? "none") version \(metadata["version"] ?? "none"); expected "
                    + "\(format) version \(version) (\(what))")
        }
        guard let json = metadata["model"],
            let configuration = try? JSONDecoder().decode(Configuration.self, from: Data(json.utf8))
        else {
            throw SequenceModelError(
                .notACheckpoint, path: path, "metadata \"model\" is missing or not \(what)'s model")
        }
        return (loader, configuration)
    }

    /// Every parameter of `layout` read strictly from `loader` into `parameters`.
    static func load(_ loader: WeightLoader, layout: ParameterLayout, into parameters: inout [Float]) throws {
        for entry in layout.entries {
            parameters.replaceSubrange(entry.range, with: try loader.tensor(entry.name, shape: entry.shape).storage)
        }
        try loader.checkAllConsumed { $0.hasPrefix("optimizer.") || $0.hasPrefix("trainer.") }
    }
}
