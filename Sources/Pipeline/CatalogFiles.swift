// The catalog and the feature files, checked against each other both ways, and the catalog's
// feature entries rebuilt from the files (`vidact catalog check`, `vidact catalog rebuild`): the
// files are the truth, the catalog an index of them that can always be reconstructed.
import Catalog
import FeatureStore
import Foundation

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
}
