// Atomic replacement of a file's contents: write a temporary file in the same folder, fsync it,
// rename it over the target, fsync the folder. A reader (or a run killed half-way) sees either the
// old file or the complete new one, never a partial file; after a crash the rename is durable.
// The temporary name starts with "." and contains ".tmp-", so a folder listing can skip leftovers
// of a crash between create and rename. `replace(_:body:)` is the same protocol for files that
// another library writes by name (an encoder's output container).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Atomic, durable file writes.
public enum AtomicFile {
    /// Replaces (or creates) `path` with `bytes`: mode 0644 less the umask, or exactly `mode`
    /// (applied with fchmod, so the umask cannot clear bits a script needs, e.g. 0o755).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t? = nil) throws(FileError) {
        let temporary = temporaryPath(for: path)
        do throws(FileError) {
            let file = try FileDescriptor(path: temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: mode ?? 0o644)
            let written: FileError? = bytes.withUnsafeBytes { buffer in
                do throws(FileError) { try file.writeAll(buffer) } catch { return error }
                return nil
            }
            if let written { throw written }
            if let mode { try SystemCall.check(fchmod(file.rawValue, mode), "fchmod", path: temporary) }
            try file.sync()
        } catch {
            unlink(temporary)
            throw error.about(path, note: " (writing its temporary file)")
        }
        try commit(temporary, to: path)
    }

    /// Replaces (or creates) `path` with `text` (UTF-8).
    public static func write(_ text: String, to path: String, mode: mode_t? = nil) throws(FileError) {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    /// Calls `body` with a temporary path beside `path` for it to write (e.g. an encoder), then
    /// fsyncs that file and renames it over `path`. The temporary file is removed if anything
    /// fails; `body`'s own error is rethrown unchanged.
    public static func replace<T>(_ path: String, body: (String) throws -> T) throws -> T {
        let temporary = temporaryPath(for: path)
        defer { unlink(temporary) }
        let result = try body(temporary)
        do throws(FileError) {
            try FileDescriptor(path: temporary, flags: O_RDONLY).sync()
        } catch {
            throw error.about(path, note: " (syncing its temporary file)")
        }
        try commit(temporary, to: path)
        return result
    }

    /// A unique temporary name in `path`'s folder.
    public static func temporaryPath(for path: String) -> String {
        let (folder, name) = split(path)
        return folder + "/." + name + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// `path`'s folder ("." for a bare name, "/" at the root) and its last component.
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// Whether a folder entry is a leftover temporary file of this protocol.
    public static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(".tmp-")
    }

    /// rename `temporary` over `path`, then fsync the folder.
    private static func commit(_ temporary: String, to path: String) throws(FileError) {
        do throws(FileError) {
            try SystemCall.check(rename(temporary, path), "rename", path: path)
        } catch {
            unlink(temporary)
            throw error
        }
        try FileDescriptor.syncFolder(split(path).folder)
    }
}
