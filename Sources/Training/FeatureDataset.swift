// The examples of the sequence stage, read from a workdir's feature cache: which extractor key to
// use, each manifest video's volume (video → SHA-256 through `VideoHashCache` → `FeatureStore`),
// and `SequenceExample`s with clip labels or, from a segments CSV, per-frame labels
// (`FrameLabels.assign` on the volume's timestamps or frame indices). A video that is not cached is
// an error naming the video and the `vidact features extract` command that caches it; nothing here
// decodes a video or runs a CNN.
import Datasets
import FeatureStore
import Foundation
import SequenceModels
import TensorCore

/// The cached features of one workdir under one extractor key.
public final class FeatureDataset {
    public let store: FeatureStore
    public let key: String
    /// Whether examples hold [features, motion] per step (models with motion inputs).
    public let withMotion: Bool
    /// D_m of the motion descriptors read so far (nil before any, or without motion).
    public private(set) var motionWidth: Int?
    let hashes: VideoHashCache

    public init(workdir: String, key: String, withMotion: Bool = false) {
        store = FeatureStore(workdir: workdir)
        self.key = key
        self.withMotion = withMotion
        hashes = VideoHashCache(workdir: workdir)
    }

    /// `requested` when given (it must exist), else the only key of the workdir; with none or
    /// several, an error listing them with their specs.
    public static func chooseKey(workdir: String, requested: String?) throws(DatasetError) -> String {
        let store = FeatureStore(workdir: workdir)
        let keys = store.keys()
        if let requested {
            guard keys.contains(requested) else {
                throw DatasetError(
                    .extractorKey, "no features under extractor key \(requested) in \(workdir)\(listing(store, keys))")
            }
            return requested
        }
        guard keys.count == 1 else {
            if keys.isEmpty {
                throw DatasetError(
                    .extractorKey,
                    "\(workdir) holds no cached features; run `vidact features extract VIDEOS --workdir \(workdir)`")
            }
            throw DatasetError(
                .extractorKey,
                "\(workdir) holds \(keys.count) extractor keys; pick one with --extractor KEY"
                    + listing(store, keys))
        }
        return keys[0]
    }

    static func listing(_ store: FeatureStore, _ keys: [String]) -> String {
        guard !keys.isEmpty else { return "" }
        return "; keys:\n"
            + keys.map { "  \($0)  \(store.keyRecord($0)?.spec.summary ?? "(no spec.json)")" }
            .joined(separator: "\n")
    }

    /// The spec of the key, when its record is readable.
    public var spec: ExtractorSpec? { store.keyRecord(key)?.spec }

    /// The valid volume of `video` under the key.
    public func volume(ofVideo video: String) throws -> FeatureVolume {
        let sha: String
        do {
            sha = try hashes.sha256(of: video).sha256
        } catch {
            throw DatasetError(.notCached, file: video, "cannot read the video: \(error)")
        }
        switch try store.lookup(key: key, videoSHA256: sha) {
        case .valid(let path, _):
            return try FeatureFile.read(path)
        case .missing:
            throw DatasetError(
                .notCached, file: video, "no features under extractor key \(key); run `\(extractCommand(video))`")
        case .quarantined(let reason, let moved):
            throw DatasetError(
                .notCached, file: video,
                "its feature file was invalid (\(reason)) and was moved to \(moved); run `\(extractCommand(video))`")
        }
    }

    /// The volume of a prediction input: a `.safetensors` feature file as is (`file` is its path;
    /// the caller checks its key), or a video looked up in `workdir`'s cache under `key`.
    public static func volume(
        ofInput input: String, workdir: String, key: String
    ) throws -> (volume: FeatureVolume, file: String?) {
        if input.hasSuffix(".safetensors") { return (try FeatureFile.read(input), input) }
        let dataset = FeatureDataset(workdir: workdir, key: key)
        let volume = try dataset.volume(ofVideo: input)
        try? dataset.finish()
        return (volume, nil)
    }

    /// Refuses features of another extractor key than the model's (`model` at `modelPath`, trained
    /// on `key`, whose spec is `trained` when known).
    public static func checkKey(
        _ features: ExtractorSpec, source: String, key: String, trained: ExtractorSpec?, modelPath: String
    ) throws(DatasetError) {
        guard features.key != key else { return }
        let summary = trained.map { " (\($0.summary))" } ?? ""
        throw DatasetError(
            .extractorKey, file: source,
            "features of extractor key \(features.key) (\(features.summary)), but the model \(modelPath) was trained on "
                + "extractor key \(key)\(summary); extract the video with the model's settings")
    }

    /// The command that caches `video` under this key (flags from the key's spec when known).
    public func extractCommand(_ video: String) -> String {
        let flags = spec.map { " " + $0.extractFlags.joined(separator: " ") } ?? ""
        return "vidact features extract \(video) --workdir \(store.workdir)\(flags)"
    }

    /// Remembers the video hashes computed so far and marks the key as used (for `features gc`).
    public func finish() throws {
        try hashes.save()
        if let spec { try store.recordUse(of: spec) }
    }

    /// The step vectors of `volume` (with motion when the dataset reads it), noting D_m.
    func steps(of volume: FeatureVolume, _ entry: ManifestEntry) throws -> Tensor {
        if withMotion { motionWidth = volume.motion?.shape[1] }
        return try volume.steps(withMotion: withMotion, source: entry.video)
    }

    /// Clip examples of `entries`; class i is `labelNames[i]`.
    public func clipExamples(_ entries: [ManifestEntry], labelNames: [String]) throws -> [SequenceExample] {
        let index = Dictionary(labelNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return try entries.map { entry in
            guard let label = index[entry.label] else {
                throw DatasetError(
                    .labels, file: entry.video,
                    "label \"\(entry.label)\" is not one of the model's classes "
                        + labelNames.joined(separator: ", "))
            }
            let volume = try volume(ofVideo: entry.path)
            return SequenceExample(features: try steps(of: volume, entry), clipLabel: label)
        }
    }

    /// Frame examples of `entries` from their segments; class i is `labelNames[i]`.
    public func frameExamples(
        _ entries: [ManifestEntry], segments: FrameSegments, labelNames: [String]
    ) throws -> [SequenceExample] {
        try entries.map { entry in
            let volume = try volume(ofVideo: entry.path)
            let labels = try segments.frameLabels(of: entry, volume: volume, labelNames: labelNames)
            return SequenceExample(features: try steps(of: volume, entry), frameLabels: labels)
        }
    }
}

extension ExtractorSpec {
    /// `vidact features extract` options that reproduce this spec (weights named by hash only).
    public var extractFlags: [String] {
        var flags: [String] = []
        if backbone != "efficientnet-lite0" { flags += ["--backbone", backbone, "--weights", "FILE"] }
        let parts = sampling.split(separator: ":", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            flags += ["--\(parts[0])", parts[1]]
        } else if sampling == "all" {
            flags.append("--all")
        }
        if geometry.hasPrefix("short_side:") {
            for part in geometry.dropFirst("short_side:".count).split(separator: ",crop:").enumerated() {
                flags += [part.offset == 0 ? "--short-side" : "--crop", String(part.element)]
            }
        } else if geometry != "native" {
            flags += ["--size", geometry]
        }
        if interpolation != "bilinear" { flags += ["--interp", interpolation] }
        if !applyRotation { flags.append("--ignore-rotation") }
        flags += ["--norm", normalization]
        if pooling != .avg { flags += ["--pool", pooling.rawValue] }
        if dtype != .f16 { flags += ["--dtype", dtype.rawValue] }
        return flags
    }
}
