// `vidact dump-config`: the resolved config as YAML with the same keys as a pipeline file and
// every default filled in, so that what a run will use can be read (and saved as a file that
// `vidact run` accepts as is).
import Yams

extension PipelineConfig {
    public var yaml: String {
        var top: [String: Any] = [
            "version": Self.version, "workdir": workdir, "dataset": datasetTree, "extract": extractTree,
        ]
        if let train { top["train"] = Self.trainTree(train) }
        if let predict {
            var tree: [String: Any] = ["videos": predict.videos, "top_k": predict.topK]
            if let model = predict.model { tree["model"] = model }
            top["predict"] = tree
        }
        if let evaluate { top["evaluate"] = ["split": evaluate.split, "plot": evaluate.plot] }
        return (try? Yams.dump(object: top, sortKeys: true)) ?? ""
    }

    var datasetTree: [String: Any] {
        var tree: [String: Any] = [
            "layout": dataset.layout.rawValue, "split": dataset.split, "val_fraction": dataset.valFraction,
            "test_fraction": dataset.testFraction, "extensions": dataset.extensions,
        ]
        for (key, value) in [
            ("root", dataset.root), ("manifest", dataset.manifest), ("segments", dataset.segments),
            ("splits_folder", dataset.splitsFolder),
        ] {
            if let value { tree[key] = value }
        }
        return tree
    }

    var extractTree: [String: Any] {
        var tree: [String: Any] = [
            "backbone": extract.backbone, "weights": extract.weightsPath, "models": extract.models,
            "sampling": Self.samplingTree(extract.sampling), "geometry": Self.geometryTree(extract.geometry),
            "interpolation": extract.interpolation, "rotation": extract.rotation,
            "normalization": extract.inputNormalization.rawValue, "pooling": extract.pooling.rawValue,
            "dtype": extract.dtype.rawValue, "batch": extract.batch, "jobs": extract.jobs,
        ]
        if extract.sampling == "all" { tree["sampling"] = "all" }
        return tree
    }

    static func samplingTree(_ text: String) -> Any {
        let parts = text.split(separator: ":")
        guard parts.count == 2 else { return text }
        let key = String(parts[0])
        return key == "fps" ? [key: Double(parts[1]) ?? 1] : [key: Int(parts[1]) ?? 1]
    }

    static func geometryTree(_ text: String) -> [String: Any] {
        if !text.hasPrefix("short_side:") { return ["size": text] }
        var tree: [String: Any] = [:]
        for field in text.split(separator: ",") {
            let pair = field.split(separator: ":")
            if pair.count == 2 { tree[String(pair[0])] = Int(pair[1]) ?? 0 }
        }
        return tree
    }

    static func trainTree(_ train: Train) -> [String: Any] {
        var tree: [String: Any] = [
            "task": train.task, "name": train.name, "pooling": train.pooling, "hidden": train.hidden,
            "layers": train.layers, "bidirectional": train.bidirectional, "dropout": train.dropout,
            "input_dropout": train.inputDropout, "inputs": train.inputs, "optimizer": train.optimizer,
            "learning_rate": train.learningRate,
            "weight_decay": train.weightDecay, "schedule": train.schedule, "warmup_epochs": train.warmupEpochs,
            "epochs": train.epochs, "batch": train.batch, "seed": train.seed, "baseline": train.baseline,
        ]
        if let projection = train.projection { tree["projection"] = projection }
        if let clipNorm = train.clipNorm { tree["clip_norm"] = clipNorm }
        if let patience = train.patience { tree["patience"] = patience }
        return tree
    }
}
