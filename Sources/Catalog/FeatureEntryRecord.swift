// A feature volume the catalog knows of: which extractor key and video it belongs to, where the
// file is, and its shape and dtype. The feature files are the truth; this table is an index over
// them that `Catalog.rebuildFeatureEntries` can reconstruct from a listing of the files.
import Foundation
import GRDB

/// One row of the `featureEntry` table; unique by (extractorKey, videoSHA256).
public struct FeatureEntryRecord: Sendable, Equatable, Hashable {
    /// The extractor key (short hash of the canonical extractor spec).
    public var extractorKey: String
    public var videoSHA256: String
    /// Path of the feature file.
    public var path: String
    /// T: number of feature rows (sampled frames).
    public var frames: Int
    /// D: width of one feature row.
    public var width: Int
    /// Element type as the feature file names it ("F16", "F32").
    public var dtype: String
    public var created: Date

    public init(
        extractorKey: String, videoSHA256: String, path: String, frames: Int, width: Int, dtype: String,
        created: Date
    ) {
        self.extractorKey = extractorKey
        self.videoSHA256 = videoSHA256
        self.path = path
        self.frames = frames
        self.width = width
        self.dtype = dtype
        self.created = created
    }
}

extension FeatureEntryRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "featureEntry"

    public init(row: Row) throws {
        extractorKey = try row.decode(forColumn: "extractorKey")
        videoSHA256 = row["videoSHA256"]
        path = try row.decode(forColumn: "path")
        frames = try row.decode(forColumn: "frames")
        width = try row.decode(forColumn: "width")
        dtype = try row.decode(forColumn: "dtype")
        created = try row.decodeDate("created")
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["extractorKey"] = extractorKey
        container["videoSHA256"] = videoSHA256
        container["path"] = path
        container["frames"] = frames
        container["width"] = width
        container["dtype"] = dtype
        container["created"] = created
    }
}
