// The catalog and the feature files, checked against each other both ways, and the catalog's
// feature entries and models rebuilt from the files (`vidact catalog check`, `vidact catalog
// rebuild`): the files are the truth, the catalog an index of them that can always be
// reconstructed (a damaged catalog is first set aside, `Catalog.setAsideIfDamaged`).
import Catalog
import FeatureStore
import Foundation
import SafeTensors

public enum CatalogFiles {
    /// Problems between `catalog` and the volumes of `store`: entries whose file is missing or
    /// invalid, and invalid files. Empty when they agree. Valid files the catalog does not list yet
    /// are not problems — a run killed between writing a volume and recording it leaves them, and
    /// the next run (or `catalog rebuild`) indexes them — they are given back in `unindexed`.
    public static func crossCheck(
        _ catalog: Catalog, _ store: FeatureStore
    ) throws -> (problems: [String], unindexed: [String]) {
        var problems: [String] = []
        var unindexed: [String] = []
        let entries = try catalog.featureEntries()
        // Compared by (extractor key, video hash): the catalog may hold absolute paths where the
        // workdir was given relative, or the workdir may have moved.
        var listed = Set<String>()
        for entry in entries {
            listed.insert(entry.extractorKey + "/" + entry.videoSHA256)
            if !FileManager.default.fileExists(atPath: entry.path) {
                problems.append("catalog lists \(entry.path), which does not exist (run `vidact catalog rebuild`)")
            } else if (try? FeatureFile.validate(entry.path)) == nil {
                problems.append("catalog lists \(entry.path), which is not a valid feature file")
            }
        }
        for entry in store.entries() where !listed.contains(entry.key + "/" + entry.videoSHA256) {
            switch entry.content {
            case .success: unindexed.append(entry.path)
            case .failure(let error): problems.append("\(entry.path) is invalid: \(error.detail)")
            }
        }
        return (problems, unindexed)
    }

    static func record(_ entry: FeatureEntry, _ info: FeatureVolumeInfo, _ shape: [Int]) -> FeatureEntryRecord {
        FeatureEntryRecord(
            extractorKey: entry.key, videoSHA256: entry.videoSHA256, path: entry.path, frames: shape[0],
            width: shape[1], dtype: info.spec.dtype.rawValue,
            created: ISO8601DateFormatter().date(from: info.created) ?? Date())
    }

    /// Replaces the catalog's feature entries with the valid volumes found under features/.
    @discardableResult
    public static func rebuild(_ catalog: Catalog, _ store: FeatureStore) throws -> Int {
        let records = store.entries().compactMap { entry -> FeatureEntryRecord? in
            guard case .success(let content) = entry.content else { return nil }
            return record(entry, content.info, content.shape)
        }
        try catalog.rebuildFeatureEntries(records)
        return records.count
    }

    /// Adds the complete models under `<workdir>/models/` (a `complete.json` and a readable
    /// `best.safetensors`) that the catalog does not list, with the task and extractor key from the
    /// checkpoint's metadata; the configuration hash that trained them is not in the files, so it
    /// is left empty. Returns how many were added.
    @discardableResult
    public static func rebuildModels(_ catalog: Catalog, workdir: String) throws -> Int {
        let folder = workdir + "/models"
        let known = Set(try catalog.models().map(\.name))
        var added = 0
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        where !known.contains(name) && !name.hasPrefix(".") {
            let best = "\(folder)/\(name)/best.safetensors"
            guard FileManager.default.fileExists(atPath: "\(folder)/\(name)/complete.json"),
                let checkpoint = try? SafeTensorsFile(path: best)
            else { continue }
            let created =
                (try? FileManager.default.attributesOfItem(atPath: best))?[.modificationDate] as? Date ?? Date()
            try catalog.upsertModel(
                ModelRecord(
                    name: name, path: best, task: checkpoint.metadata["task"] ?? "",
                    extractorKey: checkpoint.metadata["feature_extractor"] ?? "", configHash: "", created: created))
            added += 1
        }
        return added
    }
}
