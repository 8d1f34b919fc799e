// Remembers each video's SHA-256 by (path, size, mtime, inode, device), so a nightly run over an
// unchanged folder reads no video bytes just to know it is unchanged. Any change of those four
// (a rewrite, a copy over it, a touch) makes the file be hashed again; touching only the mtime
// therefore costs one re-hash but gives the same content hash, so no feature is recomputed.
//
// Stored in `<workdir>/state/video-hashes.tsv`, format `vidact-video-hashes 1`: a header line, then
// one line per file: sha256 TAB size TAB mtime-ns TAB inode TAB device TAB path. Written atomically;
// on save the file is re-read and merged, so shard processes sharing a workdir keep each other's
// entries (the catalog of the pipeline issue will hold this table later).
import Basics
import Foundation
import SafeTensors

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What identifies an unchanged file without reading it.
public struct FileIdentity: Hashable, Sendable {
    public var size: Int64
    public var mtimeNanoseconds: Int64
    public var inode: UInt64
    public var device: UInt64

    /// The identity of the file at `path` (`stat`, so a symlink is followed to the real file).
    public static func of(path: String) throws -> FileIdentity {
        var info = stat()
        guard FileName.withCString(path, { stat($0, &info) }) == 0 else {
            throw FeatureStoreError(.notFound, path: path, "cannot stat: \(String(cString: strerror(errno)))")
        }
        return FileIdentity(
            size: Int64(info.st_size),
            mtimeNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000
                + Int64(info.st_mtim.tv_nsec), inode: UInt64(info.st_ino), device: UInt64(info.st_dev))
    }
}

/// Thread-safe (path, identity) → SHA-256 memo backed by a file in the workdir.
public final class VideoHashCache: @unchecked Sendable {
    static let header = "vidact-video-hashes 1"
    public let path: String
    private let lock = NSLock()
    private var entries: [String: (identity: FileIdentity, sha256: String)] = [:]
    private var unsaved = 0

    /// Loads `<workdir>/state/video-hashes.tsv` if present; a damaged file is ignored (it is only a
    /// cache: every hash can be recomputed).
    public init(workdir: String) {
        path = workdir + "/state/video-hashes.tsv"
        entries = Self.load(path)
    }

    /// The SHA-256 of the video at `path`, from the cache when its identity is unchanged.
    public func sha256(of videoPath: String) throws -> (sha256: String, identity: FileIdentity, cached: Bool) {
        let identity = try FileIdentity.of(path: videoPath)
        lock.lock()
        let known = entries[videoPath]
        lock.unlock()
        if let known, known.identity == identity { return (known.sha256, identity, true) }
        let sha = try ContentHash.sha256(path: videoPath)
        lock.lock()
        entries[videoPath] = (identity, sha)
        unsaved += 1
        let due = unsaved >= 50
        lock.unlock()
        if due { try? save() }
        return (sha, identity, false)
    }

    /// Writes the cache (merged with what other processes saved meanwhile) atomically.
    public func save() throws {
        lock.lock()
        defer { lock.unlock() }
        guard unsaved > 0 else { return }
        var merged = Self.load(path)
        for (key, value) in entries { merged[key] = value }
        entries = merged
        var text = Self.header + "\n"
        for (key, entry) in merged.sorted(by: { $0.key < $1.key }) {
            let id = entry.identity
            text += "\(entry.sha256)\t\(id.size)\t\(id.mtimeNanoseconds)\t\(id.inode)\t\(id.device)\t\(key)\n"
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try AtomicFile.write(Array(text.utf8), to: path)
        unsaved = 0
    }

    private static func load(_ path: String) -> [String: (identity: FileIdentity, sha256: String)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.first == Substring(header) else { return [:] }
        lines.removeFirst()
        var result: [String: (identity: FileIdentity, sha256: String)] = [:]
        for line in lines {
            let fields = line.split(separator: "\t", maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count == 6, fields[0].count == 64, let size = Int64(fields[1]),
                let mtime = Int64(fields[2]), let inode = UInt64(fields[3]), let device = UInt64(fields[4])
            else { continue }
            let identity = FileIdentity(size: size, mtimeNanoseconds: mtime, inode: inode, device: device)
            result[String(fields[5])] = (identity, String(fields[0]))
        }
        return result
    }
}
