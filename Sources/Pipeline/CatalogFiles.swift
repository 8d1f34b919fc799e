// The catalog and the feature files, checked against each other both ways, and the catalog's
// feature entries rebuilt from the files (`vidact catalog check`, `vidact catalog rebuild`): the
// files are the truth, the catalog an index of them that can always be reconstructed.
import Catalog
import FeatureStore
import Foundation

public enum CatalogFiles {
    /// Problems between `catalog` and the volumes of `store`: entries whose file is missing or
    /// invalid, and valid files the catalog does not list. Empty when they agree.
    public static func crossCheck(_ catalog: Catalog, _ store: FeatureStore) throws -> [String] {
        var problems: [String] = []
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
            case .success:
                problems.append(
                    "\(entry.path) is a valid volume the catalog does not list (run `vidact catalog rebuild`)")
            case .failure(let error): problems.append("\(entry.path) is invalid: \(error.detail)")
            }
        }
        return problems
    }

    /// Replaces the catalog's feature entries with the valid volumes found under features/.
    @discardableResult
    public static func rebuild(_ catalog: Catalog, _ store: FeatureStore) throws -> Int {
        let records = store.entries().compactMap { entry -> FeatureEntryRecord? in
            guard case .success(let content) = entry.content else { return nil }
            let created = ISO8601DateFormatter().date(from: content.info.created) ?? Date()
            return FeatureEntryRecord(
                extractorKey: entry.key, videoSHA256: entry.videoSHA256, path: entry.path, frames: content.shape[0],
                width: content.shape[1], dtype: content.info.spec.dtype.rawValue, created: created)
        }
        try catalog.rebuildFeatureEntries(records)
        return records.count
    }
}
