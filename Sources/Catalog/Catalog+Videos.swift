// Videos: the content-hash cache (a video whose size, mtime, inode and device are unchanged keeps
// its SHA-256 without being read again), upserts from scans, and flagging videos that vanished.
import Foundation
import GRDB

extension Catalog {
    /// The recorded SHA-256 of `path` if its identity is unchanged since it was hashed; nil when
    /// the path is unknown or the file changed (then hash it and `upsertVideo`).
    public func knownSHA256(path: String, identity: VideoIdentity) throws(CatalogError) -> String? {
        guard let video = try video(path: path), video.identity == identity else { return nil }
        return video.sha256
    }

    /// The video recorded at `path`, gone or not.
    public func video(path: String) throws(CatalogError) -> VideoRecord? {
        try read { db in try VideoRecord.filter(Column("path") == path).fetchOne(db) }
    }

    /// Every video, by path; those flagged gone only when `includeGone`.
    public func videos(includeGone: Bool = false) throws(CatalogError) -> [VideoRecord] {
        try read { db in
            var request = VideoRecord.order(Column("path"))
            if !includeGone { request = request.filter(Column("gone") == false) }
            return try request.fetchAll(db)
        }
    }

    /// Records that `path` was seen now with this identity and hash (one transaction): inserts it,
    /// or updates identity, hash and last-seen time and clears `gone`, keeping `firstSeen`. A nil
    /// `probeJSON` keeps the recorded probe while the hash is unchanged.
    @discardableResult
    public func upsertVideo(
        path: String, identity: VideoIdentity, sha256: String, probeJSON: String? = nil, seenAt: Date = Date()
    ) throws(CatalogError) -> VideoRecord {
        try write { db in
            if var video = try VideoRecord.filter(Column("path") == path).fetchOne(db) {
                let probe = probeJSON ?? (video.sha256 == sha256 ? video.probeJSON : nil)
                video.identity = identity
                video.sha256 = sha256
                video.probeJSON = probe
                video.lastSeen = seenAt
                video.gone = false
                try video.update(db)
                return video
            }
            var video = VideoRecord(
                path: path, identity: identity, sha256: sha256, probeJSON: probeJSON, firstSeen: seenAt,
                lastSeen: seenAt)
            try video.insert(db)
            return video
        }
    }

    /// Flags as gone every video under `folder` (a path prefix ending at a `/`) that is not in
    /// `seen` — the paths a complete scan of `folder` found. Returns the paths newly flagged.
    @discardableResult
    public func markGone(under folder: String, seen: Set<String>) throws(CatalogError) -> [String] {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return try write { db in
            let present = try String.fetchAll(db, sql: "SELECT path FROM video WHERE gone = 0 ORDER BY path")
            let vanished = present.filter { $0.hasPrefix(prefix) && !seen.contains($0) }
            for path in vanished {
                try db.execute(sql: "UPDATE video SET gone = 1 WHERE path = ?", arguments: [path])
            }
            return vanished
        }
    }
}
