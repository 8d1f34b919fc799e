// Feature entries: the catalog's index of the feature files. Recorded by the runner after each
// volume is written; listed for the catalog/file cross-check; rebuilt wholesale from a listing of
// the files (`vidact catalog rebuild`).
import Foundation
import GRDB

extension Catalog {
    /// Records (or replaces) the entry of (extractorKey, videoSHA256).
    public func recordFeatureEntry(_ entry: FeatureEntryRecord) throws(CatalogError) {
        try write { db in try entry.insert(db, onConflict: .replace) }
    }

    /// The entry of (key, video), if recorded.
    public func featureEntry(key: String, videoSHA256: String) throws(CatalogError) -> FeatureEntryRecord? {
        try read { db in try FeatureEntryRecord.fetchOne(db, key: ["extractorKey": key, "videoSHA256": videoSHA256]) }
    }

    /// Entries of extractor `key` (all keys when nil), ordered by key then video hash.
    public func featureEntries(key: String? = nil) throws(CatalogError) -> [FeatureEntryRecord] {
        try read { db in
            var request = FeatureEntryRecord.order(Column("extractorKey"), Column("videoSHA256"))
            if let key { request = request.filter(Column("extractorKey") == key) }
            return try request.fetchAll(db)
        }
    }

    /// Removes the entry of (key, video); returns whether there was one.
    @discardableResult
    public func removeFeatureEntry(key: String, videoSHA256: String) throws(CatalogError) -> Bool {
        try write { db in
            try FeatureEntryRecord.deleteOne(db, key: ["extractorKey": key, "videoSHA256": videoSHA256])
        }
    }

    /// Replaces the whole table with `entries` in one transaction (readers see the old table or
    /// the new one, never a mix). A later duplicate of (key, video) replaces an earlier one.
    public func rebuildFeatureEntries(_ entries: [FeatureEntryRecord]) throws(CatalogError) {
        try write { db in
            try FeatureEntryRecord.deleteAll(db)
            for entry in entries {
                try entry.insert(db, onConflict: .replace)
            }
        }
    }
}
