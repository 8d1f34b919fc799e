// A video the catalog has seen: its path, the identity that tells an unchanged file without reading
// it (size, mtime, inode, device), its content SHA-256, the probe summary, and when it was first
// and last seen. A video whose path was not found by a later scan is kept, flagged `gone`, so the
// history of runs that used it still resolves.
import Foundation
import GRDB

/// What identifies an unchanged file without reading it (`stat` fields).
public struct VideoIdentity: Hashable, Sendable {
    public var size: Int64
    public var mtimeNanoseconds: Int64
    public var inode: UInt64
    public var device: UInt64

    public init(size: Int64, mtimeNanoseconds: Int64, inode: UInt64, device: UInt64) {
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.inode = inode
        self.device = device
    }
}

/// One row of the `video` table.
public struct VideoRecord: Sendable, Equatable {
    /// Assigned by the catalog on first insert.
    public var id: Int64?
    public var path: String
    public var identity: VideoIdentity
    /// Lowercase hex SHA-256 of the file's bytes.
    public var sha256: String
    /// The probe summary as JSON text (streams, duration, frame counts), or nil when not probed.
    public var probeJSON: String?
    public var firstSeen: Date
    public var lastSeen: Date
    /// True when a scan of the video's folder no longer found it.
    public var gone: Bool

    public init(
        id: Int64? = nil, path: String, identity: VideoIdentity, sha256: String, probeJSON: String? = nil,
        firstSeen: Date, lastSeen: Date, gone: Bool = false
    ) {
        self.id = id
        self.path = path
        self.identity = identity
        self.sha256 = sha256
        self.probeJSON = probeJSON
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.gone = gone
    }
}

extension VideoRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "video"

    public init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        path = try row.decode(forColumn: "path")
        // inode and device are unsigned; SQLite integers are signed, so they are stored bit for bit.
        identity = VideoIdentity(
            size: try row.decode(forColumn: "size"), mtimeNanoseconds: try row.decode(forColumn: "mtimeNs"),
            inode: UInt64(bitPattern: try row.decode(forColumn: "inode")),
            device: UInt64(bitPattern: try row.decode(forColumn: "device")))
        sha256 = row["sha256"]
        probeJSON = try row.decode(forColumn: "probeJSON")
        firstSeen = try row.decodeDate("firstSeen")
        lastSeen = try row.decodeDate("lastSeen")
        gone = try row.decode(forColumn: "gone")
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["path"] = path
        container["size"] = identity.size
        container["mtimeNs"] = identity.mtimeNanoseconds
        container["inode"] = Int64(bitPattern: identity.inode)
        container["device"] = Int64(bitPattern: identity.device)
        container["sha256"] = sha256
        container["probeJSON"] = probeJSON
        container["firstSeen"] = firstSeen
        container["lastSeen"] = lastSeen
        container["gone"] = gone
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
