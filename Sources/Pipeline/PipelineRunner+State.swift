// The facts a plan depends on, gathered from the files and the catalog: each video's content hash
// (from the catalog when its size, mtime, inode and device are unchanged, else hashed and
// recorded), which volumes are cached and valid, earlier failures, and the model's state. With
// `recordVideos`, videos are upserted and those no longer present are marked gone; `vidact plan`
// only reads.
import Basics
import Catalog
import Datasets
import FeatureStore
import Foundation
import SafeTensors
import VideoDecoding

extension PipelineRunner {
    func state(recordVideos: Bool) throws -> PlanState {
        var hashes: [String: String] = [:]
        for video in dataset.videos {
            guard let sha = try? contentHash(video, record: recordVideos) else { continue }
            hashes[video.relativePath] = sha
        }
        if recordVideos, let root = config.dataset.root {
            try catalog.markGone(under: root, seen: Set(dataset.videos.map(\.path)))
        }
        var cached = Set<String>()
        for sha in Set(hashes.values) {
            let path = store.path(key: spec.key, videoSHA256: sha)
            if FileManager.default.fileExists(atPath: path), (try? FeatureFile.validate(path)) != nil {
                cached.insert(sha)
            }
        }
        var failures: [PipelineStep: [String: (fingerprint: String, reason: String)]] = [:]
        for step in PipelineStep.allCases {
            for (unit, item) in try catalog.lastFailures(step: step) where item.errorKind != Self.diskFullKind {
                failures[step, default: [:]][unit] = (item.fingerprint ?? "", item.errorMessage ?? "failed")
            }
        }
        let model = modelState()
        var predicted = Set<String>()
        if let id = model.id {
            predicted = Set(try catalog.predictions(model: id).map(\.videoSHA256))
        }
        return PlanState(
            videos: dataset.videos, sha256: hashes, cached: cached, failures: failures, modelID: model.id,
            modelTrained: model.trained, predicted: predicted, evaluated: evaluated(modelID: model.id, hashes: hashes))
    }

    /// The content SHA-256 of `video`; refuses non-regular files before reading a byte.
    func contentHash(_ video: DatasetVideo, record: Bool) throws -> String {
        if let known = knownHashes[video.path] { return known }
        let sha = try lookUpContentHash(video, record: record)
        knownHashes[video.path] = sha
        return sha
    }

    private func lookUpContentHash(_ video: DatasetVideo, record: Bool) throws -> String {
        try InputGuard.check(video.path)
        let file = try FileIdentity.of(path: video.path)
        let identity = VideoIdentity(
            size: file.size, mtimeNanoseconds: file.mtimeNanoseconds, inode: file.inode, device: file.device)
        if let known = try catalog.knownSHA256(path: video.path, identity: identity) { return known }
        let sha = try ContentHash.sha256(path: video.path)
        if record { try catalog.upsertVideo(path: video.path, identity: identity, sha256: sha) }
        return sha
    }

    /// The model this pipeline trains (or uses): its id, folder, and whether it is complete.
    func modelState() -> (id: String?, folder: String?, trained: Bool) {
        if let given = config.predict?.model, config.train == nil {
            let best = given + "/best.safetensors"
            return ((given as NSString).lastPathComponent, given, FileManager.default.fileExists(atPath: best))
        }
        guard let train = config.train else { return (nil, nil, false) }
        let id = modelID(train)
        let folder = config.workdir + "/models/" + id
        let complete = folder + "/complete.json"
        let trained =
            FileManager.default.fileExists(atPath: complete)
            && (try? SafeTensorsFile(path: folder + "/best.safetensors")) != nil
        return (id, folder, trained)
    }

    /// `<name>-<first 12 hex of SHA-256 of the train settings, extractor key and classes>`: a new
    /// id (and a new model) when any of them changes; new videos alone do not retrain.
    func modelID(_ train: PipelineConfig.Train) -> String {
        // `train` holds no slashes (names cannot), so this is the sorted-keys JSON ids were made of.
        let settings = CanonicalJSON.string(of: train)
        var text = settings + "\n" + spec.key + "\n" + dataset.classes.joined(separator: "\n")
        // A caption model depends on the captions too (classes are none).
        if case .captions(let file) = config.dataset.source {
            text += "\n" + ((try? ContentHash.sha256(path: file)) ?? "")
        }
        return train.name + "-" + String(ContentHash.sha256(text: text).prefix(12))
    }

    /// Whether `evaluation-<split>.json` exists for the current test set (its videos' hashes).
    func evaluated(modelID: String?, hashes: [String: String]) -> Bool {
        guard let modelID, let evaluate = config.evaluate else { return false }
        let path = "\(config.workdir)/models/\(modelID)/evaluation-\(evaluate.split.rawValue).json"
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return false }
        return object["test_set"] as? String == testSetFingerprint(hashes: hashes)
    }

    /// A hash of the evaluated split's videos and contents.
    func testSetFingerprint(hashes: [String: String]) -> String {
        let split = config.evaluate?.split ?? .test
        let lines = dataset.videos(in: split).map { "\($0.relativePath) \(hashes[$0.relativePath] ?? "-")" }
        return ContentHash.sha256(text: lines.joined(separator: "\n"))
    }
}
