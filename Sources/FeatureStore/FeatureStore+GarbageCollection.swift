// Garbage collection of volumes nobody needs: those whose video is gone (its source path no longer
// exists, or now holds other bytes) and those whose extractor key no run has used for a while
// (`KeyRecord.lastUsed` older than the limit, or no record at all), and invalid files. A dry run by
// default: `collect(apply: false)` only lists what `apply: true` deletes.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One volume gc would delete, and why.
public struct GarbageItem: Sendable {
    public enum Reason: String, Sendable, Codable {
        case videoGone = "video_gone"
        case videoChanged = "video_changed"
        case keyUnused = "key_unused"
        case invalid
    }

    public var path: String
    public var size: Int64
    public var reason: Reason
    public var detail: String
}

extension FeatureStore {
    /// Finds (and with `apply`, deletes) unneeded volumes. Keys used within `unusedDays` days are
    /// kept. The video check re-hashes a source only when its identity changed (`hashes`).
    public func collectGarbage(
        unusedDays: Double, hashes: VideoHashCache, apply: Bool, now: Date = Date()
    ) -> [GarbageItem] {
        let formatter = ISO8601DateFormatter()
        var items: [GarbageItem] = []
        var keyUsed: [String: Bool] = [:]
        for key in keys() {
            let last = keyRecord(key).flatMap { formatter.date(from: $0.lastUsed) }
            keyUsed[key] = last.map { now.timeIntervalSince($0) <= unusedDays * 86_400 } ?? false
        }
        for entry in entries() {
            let item: (GarbageItem.Reason, String)?
            switch entry.content {
            case .failure(let error): item = (.invalid, error.detail)
            case .success(let content):
                item = reason(entry: entry, info: content.info, keyUsed: keyUsed[entry.key] ?? false, hashes: hashes)
            }
            guard let (reason, detail) = item else { continue }
            items.append(GarbageItem(path: entry.path, size: entry.size, reason: reason, detail: detail))
        }
        if apply {
            for item in items { unlink(item.path) }
            for key in keys() where keyUsed[key] == false && entries().allSatisfy({ $0.key != key }) {
                try? FileManager.default.removeItem(atPath: "\(featuresRoot)/\(key)")
            }
        }
        return items
    }

    private func reason(
        entry: FeatureEntry, info: FeatureVolumeInfo, keyUsed: Bool, hashes: VideoHashCache
    ) -> (GarbageItem.Reason, String)? {
        let source = info.sourcePath
        if !FileManager.default.fileExists(atPath: source) {
            return (.videoGone, "\(source) no longer exists")
        }
        if let current = try? hashes.sha256(of: source).sha256, current != info.videoSHA256 {
            return (.videoChanged, "\(source) now has other content (sha256 \(current.prefix(12)))")
        }
        if !keyUsed {
            let last = keyRecord(entry.key)?.lastUsed ?? "never recorded"
            return (.keyUnused, "extractor key \(entry.key) last used \(last)")
        }
        return nil
    }
}
