// Atomic replacement of a file's contents: write a temporary file in the same folder, fsync it,
// rename it over the target, fsync the folder. A reader (or a run killed half-way) sees either the
// old file or the complete new one, never a partial file; after a crash the rename is durable.
// The temporary name starts with "." and contains ".tmp-", so a folder listing can skip leftovers
// of a crash between create and rename.

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Atomic, durable file writes.
public enum AtomicFile {
    /// Replaces (or creates) `path` with `bytes`, mode 0644 less the umask.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            let file = try FileDescriptor(path: temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
            try bytes.withUnsafeBytes { try file.writeAll($0) }
            try file.sync()
        } catch {
            unlink(temporary)
            throw relabel(error, path: path)
        }
        do {
            try SystemCall.check(rename(temporary, path), "rename", path: path)
        } catch {
            unlink(temporary)
            throw error
        }
        let directory = try FileDescriptor(path: folder, flags: O_RDONLY | O_DIRECTORY)
        try directory.sync()
    }

    /// The error with the target's path, so messages name the file the caller asked for.
    private static func relabel(_ error: Error, path: String) -> Error {
        guard let error = error as? SafeTensorsError else { return error }
        return SafeTensorsError(
            error.kind, path: path, error.detail + " (writing its temporary file)", tensor: error.tensor,
            call: error.call, code: error.code)
    }
}
