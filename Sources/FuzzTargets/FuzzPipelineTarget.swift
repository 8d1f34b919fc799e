// Fuzz target `pipeline`: the pipeline YAML loader (Yams, then vidact's strict typed decoding and
// validation), with a fixed models search so nothing outside the input matters.
import Basics
import Pipeline

enum FuzzPipelineTarget {
    @Sendable static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let search: PipelineConfig.ModelSearchOrder = {
            ModelSearch(places: [.init(folder: $0 + "/models", origin: "")])
        }
        if let config = try? PipelineConfig.parse(text, file: "/fuzz/pipelines/p.yaml", modelSearch: search) {
            _ = config.hash
            _ = try? PipelineConfig.parse(config.yaml, file: "/fuzz/pipelines/p.yaml", modelSearch: search)
        }
    }
}
