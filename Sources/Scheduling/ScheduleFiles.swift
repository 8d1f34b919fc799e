// Atomic writes of the scheduler's small text files (wrapper scripts, unit files, the registry):
// a temporary file in the same folder with the final mode, fsynced, renamed over the target, the
// folder fsynced. A timer that fires mid-install sees the old script or the new one, never half.
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
        let temporary = folder + "/." + (path as NSString).lastPathComponent + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure(path, "cannot create \(temporary)") }
        do {
            try FileHandle(fileDescriptor: fd, closeOnDealloc: false).write(contentsOf: Data(text.utf8))
        } catch {
            close(fd)
            unlink(temporary)
            throw ScheduleError(.io, path, "cannot write \(temporary): \(error.localizedDescription)")
        }
        // The umask may have cleared bits of `mode`; scripts must be executable whatever it is.
        let ok = fchmod(fd, mode) == 0 && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let error = failure(path, "cannot finish writing")
            unlink(temporary)
            throw error
        }
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
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
