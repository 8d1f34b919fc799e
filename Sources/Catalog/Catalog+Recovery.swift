// Setting a damaged catalog aside (`vidact catalog rebuild`). The catalog is an index: the feature
// files and model folders are the truth, so a catalog SQLite cannot read — bytes flipped, the file
// truncated, a stale journal that does not belong to it — is renamed, with its -wal, -shm and
// -journal, to `catalog.sqlite.damaged-<UTC time>` (kept for inspection, never deleted), and the
// caller opens a fresh one and refills it. A catalog that is only busy, or from a newer vidact, is
// not damaged and is left alone.
import Foundation

extension Catalog {
    /// What `setAsideIfDamaged` did: the new name of the damaged file and what SQLite said.
    public struct SetAside: Sendable, Equatable {
        public var movedTo: String
        public var reason: String
    }

    /// Renames the catalog at `path` (and its journal files) when it cannot be opened or SQLite's
    /// integrity check fails; nil when it is sound or absent.
    public static func setAsideIfDamaged(path: String) throws(CatalogError) -> SetAside? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let reason = try damage(path) else { return nil }
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let target = path + ".damaged-" + stamp
        for suffix in ["", "-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: path + suffix) {
            guard rename(path + suffix, target + suffix) == 0 else {
                throw CatalogError(
                    .open, path: path, "cannot rename \(path + suffix) aside: \(String(cString: strerror(errno)))")
            }
        }
        return SetAside(movedTo: target, reason: reason)
    }

    /// Why the catalog at `path` is damaged, or nil. Opened in its own scope, so the connection
    /// is closed before the file is renamed.
    private static func damage(_ path: String) throws(CatalogError) -> String? {
        do {
            let catalog = try Catalog(path: path)
            let problems = try catalog.integrityCheck().filter {
                $0.hasPrefix("integrity_check") || $0.hasPrefix("catalog unreadable")
            }
            return problems.isEmpty ? nil : problems.joined(separator: "; ")
        } catch  where error.kind == .busy || error.kind == .schemaTooNew {
            throw error
        } catch {
            return error.detail
        }
    }
}
