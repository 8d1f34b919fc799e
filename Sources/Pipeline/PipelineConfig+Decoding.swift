// Strict decoding of a pipeline file (YAML, `version: 1`): unknown keys, wrong types, missing
// required keys and impossible combinations are errors naming the file, the line and the key, with
// the allowed keys or values. No inheritance, no includes. Paths are resolved against the folder of
// the pipeline file. Every key and default is documented in pipelines/README.md.
import Basics
import ConvNets
import Datasets
import FeatureStore
import Foundation
import SequenceModels
import VideoDecoding
import Yams

extension PipelineConfig {
    static let topKeys = ["version", "workdir", "dataset", "extract", "train", "predict", "evaluate"]
    static let datasetKeys = [
        "layout", "root", "manifest", "captions", "segments", "splits_folder", "split", "val_fraction",
        "test_fraction", "extensions",
    ]
    static let extractKeys = [
        "backbone", "weights", "models", "sampling", "geometry", "interpolation", "rotation", "normalization",
        "pooling", "dtype", "batch", "jobs", "motion", "precision", "calibration",
    ]
    static let trainKeys = [
        "task", "name", "pooling", "hidden", "layers", "bidirectional", "dropout", "input_dropout", "inputs",
        "projection",
        "optimizer", "learning_rate", "weight_decay", "schedule", "warmup_epochs", "epochs", "batch", "clip_norm",
        "patience", "seed", "baseline", "architecture", "embedding", "max_words", "min_count", "label_smoothing",
        "scheduled_sampling", "attention_size", "beam", "length_penalty",
    ]
    /// Train keys that only the caption task reads.
    static let captionKeys = [
        "architecture", "embedding", "max_words", "min_count", "label_smoothing", "beam", "length_penalty",
        "scheduled_sampling", "attention_size",
    ]
    static let defaultExtensions = VideoExtensions.defaults

    /// Where a pipeline file in a folder looks for its models folder when it names none.
    public typealias ModelSearchOrder = @Sendable (_ pipelineFolder: String) -> ModelSearch

    /// Reads and resolves the pipeline file at `path`.
    public static func load(
        path: String, modelSearch: ModelSearchOrder = { ModelSearch.standard(beside: $0) }
    ) throws -> PipelineConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw PipelineConfigError(file: path, line: nil, "cannot read the pipeline file (missing or not UTF-8)")
        }
        return try parse(text, file: path, modelSearch: modelSearch)
    }

    /// Parses `text` as the pipeline file `file` (paths resolve against `file`'s folder; a models
    /// folder the file does not name is searched for in `modelSearch`'s order).
    public static func parse(
        _ text: String, file: String, modelSearch: ModelSearchOrder = { ModelSearch.standard(beside: $0) }
    ) throws -> PipelineConfig {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PipelineConfigError(file: file, line: Self.line(of: error), "not valid YAML: \(error)")
        }
        guard let node else { throw PipelineConfigError(file: file, line: nil, "the pipeline file is empty") }
        let top = try YAMLMapping(node, file: file, path: "", allowed: topKeys)
        guard let version = try top.int("version") else {
            throw PipelineConfigError(
                file: file, line: top.line, "missing required key 'version' (this vidact reads version 1)")
        }
        guard version == Self.version else {
            throw top.invalid("version", "is \(version); this vidact reads version \(Self.version)")
        }
        let folder = (Self.absolute(file, base: FileManager.default.currentDirectoryPath) as NSString)
            .deletingLastPathComponent
        let resolve = { (path: String) in Self.absolute(path, base: folder) }
        let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        guard let datasetMap = try top.mapping("dataset", allowed: datasetKeys) else {
            throw PipelineConfigError(file: file, line: top.line, "missing required key 'dataset'")
        }
        let dataset = try decodeDataset(datasetMap, resolve: resolve)
        let search = modelSearch(folder)
        let extractMap = try top.mapping("extract", allowed: extractKeys)
        let extract = try decodeExtract(extractMap, resolve: resolve, search: search)
        let train = try top.mapping("train", allowed: trainKeys).map { try decodeTrain($0, dataset: dataset) }
        let predict = try top.mapping("predict", allowed: ["videos", "top_k", "model"]).map {
            try decodePredict($0, resolve: resolve)
        }
        let evaluate = try top.mapping("evaluate", allowed: ["split", "plot"]).map(decodeEvaluate)
        if dataset.layout == .unlabelled && (train != nil || evaluate != nil) {
            throw PipelineConfigError(
                file: file, line: top.line, "an unlabelled dataset can only be predicted: remove 'train' and 'evaluate'"
            )
        }
        if let train, train.inputs.usesMotion, !extract.motion {
            throw PipelineConfigError(
                file: file, line: top.line,
                "'train.inputs' is \(train.inputs.rawValue), which reads motion descriptors: set 'extract.motion: true'"
            )
        }
        if train == nil && evaluate != nil {
            throw PipelineConfigError(
                file: file, line: top.line, "'evaluate' needs a 'train' section (the model it scores)")
        }
        if train == nil, let predict, predict.model == nil {
            throw PipelineConfigError(
                file: file, line: top.line,
                "'predict' needs a model: a 'train' section, or 'predict.model' (a model folder)")
        }
        var config = PipelineConfig(
            file: resolve((file as NSString).lastPathComponent),
            workdir: resolve(try top.string("workdir") ?? "work/\(name)"),
            dataset: dataset, extract: extract, train: train, predict: predict, evaluate: evaluate)
        if try extractMap?.string("models") == nil, try extractMap?.string("weights") == nil {
            config.modelSearch = search
        }
        return config
    }

    static func decodeDataset(_ map: YAMLMapping, resolve: (String) -> String) throws -> Dataset {
        let layoutName = try map.choice("layout", Layout.allCases.map(\.rawValue))
        guard let layoutName, let layout = Layout(rawValue: layoutName) else {
            _ = try map.require("layout")
            preconditionFailure("unreachable")
        }
        guard
            let dataset = Dataset(
                layout: layout,
                paths: DatasetSpec.Paths(
                    root: try map.string("root").map(resolve), manifest: try map.string("manifest").map(resolve),
                    splitsFolder: try map.string("splits_folder").map(resolve),
                    captions: try map.string("captions").map(resolve)),
                segments: try map.string("segments").map(resolve),
                split: try map.int("split") ?? 1, valFraction: try map.double("val_fraction") ?? 0.2,
                testFraction: try map.double("test_fraction") ?? 0.2,
                extensions: try map.strings("extensions")?.map { $0.lowercased() } ?? defaultExtensions)
        else {
            _ = try map.require(layout == .manifest ? "manifest" : layout == .captions ? "captions" : "root")
            preconditionFailure("PipelineConfig: the layout's path is present but the dataset was refused")
        }
        if !(1...3).contains(dataset.split) { throw map.invalid("split", "must be 1, 2 or 3") }
        for key in ["val_fraction", "test_fraction"] {
            let value = key == "val_fraction" ? dataset.valFraction : dataset.testFraction
            if !(0..<1).contains(value) { throw map.invalid(key, "must be at least 0 and below 1") }
        }
        if dataset.valFraction + dataset.testFraction >= 1 {
            throw map.invalid(
                "test_fraction", "plus val_fraction must stay below 1 (something must be left to train on)")
        }
        return dataset
    }

    static func decodeExtract(_ map: YAMLMapping?, resolve: (String) -> String, search: ModelSearch) throws -> Extract {
        let backbone =
            try map?.choice("backbone", Backbone.allCases.map(\.rawValue)).flatMap(Backbone.init) ?? .efficientnetLite0
        // Not named: the first folder of the search that holds the backbone's default weights, else
        // `models` beside the file (so that the runner's error names one file and the search).
        let models =
            try map?.string("models").map(resolve) ?? backbone.defaultWeightsFile.flatMap(search.folder(holding:))
            ?? resolve("models")
        let weights = try map?.string("weights").map(resolve)
        if let map, backbone != .efficientnetLite0 && weights == nil {
            throw map.invalid(
                "backbone", "is \(backbone.rawValue), which needs 'weights' (a torchvision state_dict as safetensors)")
        }
        // Defaults that depend on the backbone are filled in here, so the resolved config (and its
        // hash) is the same whether a file spells them out or not.
        let decoded = Extract(
            backbone: backbone, weights: weights ?? models + "/" + (backbone.defaultWeightsFile ?? ""), models: models,
            sampling: try map.flatMap(decodeSampling) ?? .fps(1.0),
            geometry: try map.flatMap(decodeGeometry) ?? .shortSide(256, crop: 224),
            interpolation: try choice(map, "interpolation", Interpolation.self) ?? .bilinear,
            rotation: try map?.bool("rotation") ?? true,
            normalization: try choice(map, "normalization", InputNormalization.self) ?? backbone.normalization,
            pooling: try choice(map, "pooling", FeaturePooling.self) ?? .avg,
            dtype: try choice(map, "dtype", FeatureDType.self) ?? .f16, batch: try map?.int("batch") ?? 16,
            jobs: try map?.int("jobs") ?? 2, motion: try map?.bool("motion") ?? false)
        var resolved = decoded
        if let map { resolved.snap = try decodeSnap(map, sampling: decoded.sampling) }
        if resolved.snap == .keyframe, resolved.motion, let map {
            throw map.invalid("motion", "needs exact sampling (the frame before each sample), not 'snap: keyframe'")
        }
        resolved.precision = try choice(map, "precision", Precision.self) ?? .f32
        if resolved.precision == .int8 {
            // EfficientNet-Lite0 has a shipped calibration; a ResNet's scales depend on the user's weights.
            if let given = try map?.string("calibration") {
                resolved.calibration = resolve(given)
            } else if let defaultFile = Int8Calibration.defaultFile(for: backbone) {
                resolved.calibration = models + "/" + defaultFile
            } else {
                let how =
                    "needs 'calibration:' for \(backbone.rawValue): make the file with `vidact calibrate --backbone "
                    + "\(backbone.rawValue) --weights FILE --videos DIR --out FILE`"
                throw map?.invalid("precision", "is int8, which " + how)
                    ?? PipelineConfigError(file: "", line: nil, "int8 " + how)
            }
        } else if let map, try map.string("calibration") != nil {
            throw map.invalid("calibration", "is only read with 'precision: int8'")
        }
        let extract = resolved
        if let map, extract.batch < 1 { throw map.invalid("batch", "must be at least 1") }
        if let map, extract.jobs < 1 { throw map.invalid("jobs", "must be at least 1") }
        return extract
    }

    /// The value of `key` as one of `Choice`'s cases (the allowed values are its raw values).
    static func choice<Choice: RawRepresentable & CaseIterable>(
        _ map: YAMLMapping?, _ key: String, _: Choice.Type
    ) throws -> Choice? where Choice.RawValue == String {
        try map?.choice(key, Choice.allCases.map(\.rawValue)).flatMap(Choice.init(rawValue:))
    }

    /// `sampling: all`, or a mapping with exactly one of fps, uniform, segments, stride.
    static func decodeSampling(_ map: YAMLMapping) throws -> Sampling? {
        guard let node = map.node("sampling") else { return nil }
        if node.scalar?.string == "all" { return .all }
        let sampling = try YAMLMapping(
            node, file: map.file, path: "extract.sampling", allowed: ["fps", "uniform", "segments", "stride", "snap"])
        var found: [Sampling] = []
        if let fps = try sampling.double("fps") {
            if fps <= 0 { throw sampling.invalid("fps", "must be positive") }
            found.append(.fps(fps))
        }
        for (key, make) in [
            ("uniform", Sampling.uniform), ("segments", Sampling.segments), ("stride", Sampling.stride),
        ] {
            if let value = try sampling.int(key) {
                if value < 1 { throw sampling.invalid(key, "must be at least 1") }
                found.append(make(value))
            }
        }
        guard found.count == 1 else {
            throw PipelineConfigError(
                file: map.file, line: node.mark?.line,
                "'extract.sampling' must be 'all' or give exactly one of fps, uniform, segments, stride")
        }
        return found[0]
    }

    /// `snap: keyframe` inside the sampling map (`exact` by default).
    static func decodeSnap(_ map: YAMLMapping, sampling: Sampling) throws -> Snap {
        guard let node = map.node("sampling"), node.scalar == nil else { return .exact }
        let inner = try YAMLMapping(
            node, file: map.file, path: "extract.sampling", allowed: ["fps", "uniform", "segments", "stride", "snap"])
        guard let text = try inner.choice("snap", Snap.allCases.map(\.rawValue)), let snap = Snap(rawValue: text)
        else { return .exact }
        if snap == .keyframe, case .stride = sampling {
            throw inner.invalid("snap", "is keyframe, which needs sampling by time (fps, uniform or segments)")
        }
        return snap
    }

    /// `geometry: {short_side: 256, crop: 224}` or `{size: 224x224}`.
    static func decodeGeometry(_ map: YAMLMapping) throws -> Geometry? {
        guard let node = map.node("geometry") else { return nil }
        let geometry = try YAMLMapping(
            node, file: map.file, path: "extract.geometry", allowed: ["short_side", "crop", "size"])
        if let size = try geometry.string("size") {
            if geometry.has("short_side") || geometry.has("crop") {
                throw geometry.invalid("size", "cannot be combined with short_side or crop")
            }
            let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts.allSatisfy({ $0 > 0 }) else {
                throw geometry.invalid("size", "must look like 224x224")
            }
            return .size(width: parts[0], height: parts[1])
        }
        guard let side = try geometry.int("short_side"), side > 0 else {
            throw PipelineConfigError(
                file: map.file, line: node.mark?.line, "'extract.geometry' needs short_side (and crop) or size")
        }
        if let crop = try geometry.int("crop") {
            if crop < 1 || crop > side { throw geometry.invalid("crop", "must be between 1 and short_side (\(side))") }
            return .shortSide(side, crop: crop)
        }
        return .shortSide(side, crop: nil)
    }

    static func decodeTrain(_ map: YAMLMapping, dataset: Dataset) throws -> Train {
        guard let task = try choice(map, "task", Task.self) else {
            _ = try map.require("task")
            preconditionFailure("unreachable")
        }
        if task == .frames && dataset.segments == nil {
            throw map.invalid("task", "is frames, which needs 'dataset.segments' (the segment annotations CSV)")
        }
        if (task == .caption) != (dataset.layout == .captions) {
            throw map.invalid(
                "task",
                task == .caption
                    ? "is caption, which needs 'dataset.layout: captions' with 'dataset.captions' (a caption CSV)"
                    : "is \(task.rawValue), but the dataset is a caption file: use 'task: caption'")
        }
        if task != .caption, let key = captionKeys.first(where: { map.has($0) }) {
            throw map.invalid(key, "is a caption-task key; this train section has task \(task.rawValue)")
        }
        var caption: CaptionSettings? = nil
        if task == .caption {
            let settings = CaptionSettings(
                architecture: try choice(map, "architecture", CaptionArchitecture.self) ?? .s2vt,
                embedding: try map.int("embedding") ?? 128, maxWords: try map.int("max_words") ?? 20,
                minCount: try map.int("min_count") ?? 1, labelSmoothing: try map.double("label_smoothing") ?? 0,
                beam: try map.int("beam") ?? 1, lengthPenalty: try map.double("length_penalty") ?? 0,
                attentionSize: try map.int("attention_size"), scheduledSampling: try map.double("scheduled_sampling"))
            if let size = settings.attentionSize, size < 1 { throw map.invalid("attention_size", "must be at least 1") }
            for (key, value) in [
                ("embedding", settings.embedding), ("max_words", settings.maxWords), ("min_count", settings.minCount),
                ("beam", settings.beam),
            ] where value < 1 {
                throw map.invalid(key, "must be at least 1")
            }
            if !(0..<1).contains(settings.labelSmoothing) {
                throw map.invalid("label_smoothing", "must be at least 0 and below 1")
            }
            if settings.lengthPenalty < 0 { throw map.invalid("length_penalty", "cannot be negative") }
            if let p = settings.scheduledSampling, !(0...1).contains(p) {
                throw map.invalid("scheduled_sampling", "must be between 0 and 1")
            }
            caption = settings
        }
        let train = Train(
            task: task, name: try map.string("name") ?? "lstm",
            pooling: try choice(map, "pooling", ClipPooling.self) ?? .last,
            hidden: try map.int("hidden") ?? 256, layers: try map.int("layers") ?? 1,
            bidirectional: try map.bool("bidirectional") ?? false, dropout: try map.double("dropout") ?? 0,
            inputDropout: try map.double("input_dropout") ?? 0,
            inputs: try choice(map, "inputs", SequenceInputs.self) ?? .features,
            projection: try map.int("projection"),
            optimizer: try choice(map, "optimizer", OptimizerKind.self) ?? .adamw,
            learningRate: try map.double("learning_rate") ?? 1e-3, weightDecay: try map.double("weight_decay") ?? 1e-2,
            schedule: try choice(map, "schedule", Schedule.self) ?? .cosine,
            warmupEpochs: try map.int("warmup_epochs") ?? 0, epochs: try map.int("epochs") ?? 30,
            batch: try map.int("batch") ?? 16, clipNorm: try map.double("clip_norm") ?? 5,
            patience: try map.int("patience"),
            seed: try map.int("seed") ?? 0, baseline: try map.bool("baseline") ?? false, caption: caption)
        for (key, value) in [
            ("hidden", train.hidden), ("layers", train.layers), ("epochs", train.epochs), ("batch", train.batch),
        ]
        where value < 1 {
            throw map.invalid(key, "must be at least 1")
        }
        for (key, value) in [("dropout", train.dropout), ("input_dropout", train.inputDropout)]
        where !(0..<1).contains(value) {
            throw map.invalid(key, "must be at least 0 and below 1")
        }
        if train.learningRate <= 0 { throw map.invalid("learning_rate", "must be positive") }
        if let projection = train.projection, projection < 1 { throw map.invalid("projection", "must be at least 1") }
        if task == .caption && train.inputs.usesMotion {
            throw map.invalid(
                "inputs", "is \(train.inputs.rawValue); caption models read features, differences or both")
        }
        if train.name.isEmpty || train.name.contains("/") { throw map.invalid("name", "must be a plain name (no '/')") }
        return train
    }

    static func decodePredict(_ map: YAMLMapping, resolve: (String) -> String) throws -> Predict {
        let predict = Predict(
            videos: try choice(map, "videos", Predict.Videos.self) ?? .test, topK: try map.int("top_k") ?? 5,
            model: try map.string("model").map(resolve))
        if predict.topK < 1 { throw map.invalid("top_k", "must be at least 1") }
        return predict
    }

    static func decodeEvaluate(_ map: YAMLMapping) throws -> Evaluate {
        let split = try map.choice("split", [DataSplit.val, .test].map(\.rawValue)).flatMap(DataSplit.init) ?? .test
        return Evaluate(split: split, plot: try map.bool("plot") ?? true)
    }

    static func absolute(_ path: String, base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        return (joined as NSString).standardizingPath
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }
}
