// `vidact dump-config`: the resolved config as YAML with the same keys as a pipeline file and
// every default filled in, so that what a run will use can be read (and saved as a file that
// `vidact run` accepts as is).
import VideoDecoding
import Yams

extension PipelineConfig {
    public var yaml: String {
        var top: [String: Any] = [
            "version": Self.version, "workdir": workdir, "dataset": datasetTree, "extract": extractTree,
        ]
        if let train { top["train"] = Self.trainTree(train) }
        if let predict {
            var tree: [String: Any] = ["videos": predict.videos.rawValue, "top_k": predict.topK]
            if let model = predict.model { tree["model"] = model }
            top["predict"] = tree
        }
        if let evaluate { top["evaluate"] = ["split": evaluate.split.rawValue, "plot": evaluate.plot] }
        do {
            return try Yams.dump(object: top, sortKeys: true)
        } catch {
            // The tree holds only strings, numbers, booleans, lists and maps; anything else is a bug here.
            preconditionFailure("PipelineConfig.yaml: cannot dump the resolved config: \(error)")
        }
    }

    var datasetTree: [String: Any] {
        var tree: [String: Any] = [
            "layout": dataset.layout.rawValue, "split": dataset.split, "val_fraction": dataset.valFraction,
            "test_fraction": dataset.testFraction, "extensions": dataset.extensions,
        ]
        for (key, value) in [
            ("root", dataset.paths.root), ("manifest", dataset.paths.manifest), ("captions", dataset.paths.captions),
            ("segments", dataset.segments),
            ("splits_folder", dataset.paths.splitsFolder),
        ] {
            if let value { tree[key] = value }
        }
        return tree
    }

    var extractTree: [String: Any] {
        var tree: [String: Any] = [
            "backbone": extract.backbone.rawValue, "weights": extract.weights, "models": extract.models,
            "sampling": Self.samplingTree(extract.sampling, snap: extract.snap),
            "geometry": Self.geometryTree(extract.geometry),
            "interpolation": extract.interpolation.rawValue, "rotation": extract.rotation,
            "normalization": extract.normalization.rawValue, "pooling": extract.pooling.rawValue,
            "dtype": extract.dtype.rawValue, "batch": extract.batch, "jobs": extract.jobs, "motion": extract.motion,
            "precision": extract.precision.rawValue,
        ]
        if let calibration = extract.calibration { tree["calibration"] = calibration }
        return tree
    }

    /// `all`, or `{fps: 1.0}`, `{uniform: 8}`, … as in a pipeline file.
    static func samplingTree(_ sampling: Sampling, snap: Snap = .exact) -> Any {
        var tree: [String: Any]
        switch sampling {
        case .all: return "all"
        case .fps(let rate): tree = ["fps": rate]
        case .uniform(let n): tree = ["uniform": n]
        case .segments(let n): tree = ["segments": n]
        case .stride(let k): tree = ["stride": k]
        }
        if snap == .keyframe { tree["snap"] = snap.rawValue }
        return tree
    }

    /// `{short_side: 256, crop: 224}`, `{short_side: 256}` or `{size: 224x224}`.
    static func geometryTree(_ geometry: Geometry) -> [String: Any] {
        switch geometry {
        case .native: return ["size": geometry.description]
        case .size: return ["size": geometry.description]
        case .shortSide(let side, let crop):
            return crop.map { ["short_side": side, "crop": $0] } ?? ["short_side": side]
        }
    }

    static func trainTree(_ train: Train) -> [String: Any] {
        var tree: [String: Any] = [
            "task": train.task.rawValue, "name": train.name, "pooling": train.pooling.rawValue, "hidden": train.hidden,
            "layers": train.layers, "bidirectional": train.bidirectional, "dropout": train.dropout,
            "input_dropout": train.inputDropout, "inputs": train.inputs.rawValue, "optimizer": train.optimizer.rawValue,
            "learning_rate": train.learningRate,
            "weight_decay": train.weightDecay, "schedule": train.schedule.rawValue, "warmup_epochs": train.warmupEpochs,
            "epochs": train.epochs, "batch": train.batch, "seed": train.seed, "baseline": train.baseline,
        ]
        if let projection = train.projection { tree["projection"] = projection }
        if let clipNorm = train.clipNorm { tree["clip_norm"] = clipNorm }
        if let patience = train.patience { tree["patience"] = patience }
        if let caption = train.caption {
            tree["architecture"] = caption.architecture.rawValue
            tree["embedding"] = caption.embedding
            tree["max_words"] = caption.maxWords
            tree["min_count"] = caption.minCount
            tree["label_smoothing"] = caption.labelSmoothing
            tree["beam"] = caption.beam
            tree["length_penalty"] = caption.lengthPenalty
            if let size = caption.attentionSize { tree["attention_size"] = size }
            if let p = caption.scheduledSampling { tree["scheduled_sampling"] = p }
        }
        return tree
    }
}
