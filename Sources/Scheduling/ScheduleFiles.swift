// Writes of the scheduler's small text files (wrapper scripts, unit files, the registry) through
// `AtomicFile` with their exact mode, creating the folder first: a timer that fires mid-install
// sees the old script or the new one, never half.
import Basics
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Atomic text file writes with a given mode.
public enum ScheduleFiles {
    /// Replaces (or creates) `path` with `text`, creating its folder; `mode` e.g. 0o755 for scripts.
    public static func write(_ text: String, to path: String, mode: mode_t) throws {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ScheduleError(.io, folder, "cannot create the folder: \(error.localizedDescription)")
        }
        do {
            try AtomicFile.write(text, to: path, mode: mode)
        } catch {
            throw ScheduleError(.io, path, "\(error.detail); check the folder's permissions")
        }
    }

    /// Removes `path` if it exists; true when it did.
    @discardableResult
    public static func remove(_ path: String) throws -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        guard unlink(path) == 0 else { throw failure(path, "cannot remove it") }
        return true
    }

    private static func failure(_ path: String, _ what: String) -> ScheduleError {
        ScheduleError(.io, path, "\(what): \(String(cString: strerror(errno))); check the folder's permissions")
    }
}
