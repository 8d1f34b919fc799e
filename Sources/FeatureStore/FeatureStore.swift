// The content-addressed feature cache of a workdir:
//
//   <workdir>/features/<extractor-key>/spec.json                 the spec (canonical JSON) and when
//                                                               a run last used it (`KeyRecord`)
//   <workdir>/features/<extractor-key>/<first 2 hex>/<video-sha256>.safetensors
//   <workdir>/quarantine/                                       invalid files moved aside, with
//                                                               quarantine.log saying why
//   <workdir>/state/video-hashes.tsv                            `VideoHashCache`
//
// A volume is done when its file exists under its final name and validates; writes go through a
// temporary name in the same folder (`AtomicFile`), so a killed run leaves either nothing or a
// complete file there. `sweepTemporaries()` removes what a killed writer left behind.
import Foundation
import SafeTensors

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the store holds for one (spec, video).
public enum CacheLookup: Sendable {
    /// A valid volume of shape [T, D].
    case valid(path: String, shape: [Int])
    /// Nothing yet.
    case missing
    /// There was a file but it did not validate; it was moved to `quarantinedTo`.
    case quarantined(reason: String, quarantinedTo: String)
}

/// One workdir's feature cache.
public final class FeatureStore: Sendable {
    public let workdir: String

    /// `workdir` relative to the current directory is made absolute, so paths stored in the
    /// catalog and metadata stay valid wherever vidact runs from later.
    public init(workdir: String) {
        let absolute = workdir.hasPrefix("/") ? workdir : FileManager.default.currentDirectoryPath + "/" + workdir
        self.workdir = (absolute as NSString).standardizingPath
    }

    public var featuresRoot: String { workdir + "/features" }
    public var quarantineRoot: String { workdir + "/quarantine" }

    /// Where the volume of `videoSHA256` under `key` lives.
    public func path(key: String, videoSHA256: String) -> String {
        "\(featuresRoot)/\(key)/\(videoSHA256.prefix(2))/\(videoSHA256).safetensors"
    }

    /// Whether a valid volume exists; an invalid one is quarantined (so it will be redone).
    public func lookup(key: String, videoSHA256: String) throws -> CacheLookup {
        let path = path(key: key, videoSHA256: videoSHA256)
        guard FileManager.default.fileExists(atPath: path) else { return .missing }
        do {
            let (info, shape) = try FeatureFile.validate(path)
            guard info.spec.key == key, info.videoSHA256 == videoSHA256 else {
                throw FeatureStoreError(
                    .misplaced, path: path,
                    "holds key \(info.spec.key) / video \(info.videoSHA256.prefix(12)) but sits under key \(key) / "
                        + "video \(videoSHA256.prefix(12))")
            }
            return .valid(path: path, shape: shape)
        } catch let error as FeatureStoreError where error.kind != .io {
            let moved = try quarantine(path, reason: error.detail)
            return .quarantined(reason: error.detail, quarantinedTo: moved)
        }
    }

    /// Writes `volume` under its final name, atomically; records the spec for listing and gc.
    @discardableResult
    public func write(_ volume: FeatureVolume) throws -> String {
        let key = volume.info.spec.key
        let path = path(key: key, videoSHA256: volume.info.videoSHA256)
        try createDirectory((path as NSString).deletingLastPathComponent)
        try FeatureFile.write(volume, to: path)
        return path
    }

    /// Moves `path` into the quarantine folder (name prefixed with the time) and appends the
    /// reason to quarantine.log. Gives the new path.
    public func quarantine(_ path: String, reason: String) throws -> String {
        try createDirectory(quarantineRoot)
        let stamp = Self.timestamp().replacingOccurrences(of: ":", with: "")
        let target = "\(quarantineRoot)/\(stamp)-\((path as NSString).lastPathComponent)"
        guard rename(path, target) == 0 else {
            throw FeatureStoreError(.io, path: path, "cannot quarantine: \(String(cString: strerror(errno)))")
        }
        let line = "\(Self.timestamp())\t\(path)\t\(target)\t\(reason)\n"
        let log = quarantineRoot + "/quarantine.log"
        if let handle = FileHandle(forWritingAtPath: log) ?? createLog(log) {
            handle.seekToEndOfFile()
            handle.write(Data(line.utf8))
            try? handle.close()
        }
        return target
    }

    /// Removes temporary files left by killed writers under features/ and state/: names that
    /// start with "." and contain ".tmp-<pid>-", when that process no longer runs here or the file
    /// is older than ten minutes (a live writer renames within seconds). Gives the paths removed.
    @discardableResult
    public func sweepTemporaries() -> [String] {
        var removed: [String] = []
        for root in [featuresRoot, workdir + "/state"] {
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                guard name.hasPrefix("."), let pid = Self.writerPID(name) else { continue }
                let path = root + "/" + relative
                var info = stat()
                guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                let age = Date().timeIntervalSince1970 - Double(info.st_mtim.tv_sec)
                let alive = kill(pid, 0) == 0 || errno == EPERM
                if (!alive || age > 600) && unlink(path) == 0 { removed.append(path) }
            }
        }
        return removed
    }

    /// The pid in an `AtomicFile` temporary name ".<name>.tmp-<pid>-<random>".
    static func writerPID(_ name: String) -> pid_t? {
        guard let range = name.range(of: ".tmp-", options: .backwards) else { return nil }
        let rest = name[range.upperBound...].split(separator: "-")
        guard rest.count == 2, let pid = pid_t(rest[0]), UInt32(rest[1]) != nil else { return nil }
        return pid
    }

    func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FeatureStoreError(.io, path: path, "cannot create folder: \(error.localizedDescription)")
        }
    }

    private func createLog(_ path: String) -> FileHandle? {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return FileHandle(forWritingAtPath: path)
    }

    /// Now, ISO 8601 UTC to the second.
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
