// The one recursive folder walk (dataset layouts, `vidact probe DIR`, `features extract DIR`). It
// reads names as bytes with opendir/readdir, so a name that is not UTF-8 survives as a `FileName`
// path string and opens later; Foundation's enumerator would hand back a lossy name. Hidden names
// (a leading ".") are skipped with everything under them; symbolic links to folders are not
// followed (no loops), but every other entry that matches — a link, a FIFO, a folder named x.mp4 —
// is returned, so the caller reports it instead of it vanishing silently.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Recursive listing of a folder by name bytes.
public enum DirectoryWalk {
    /// Relative paths (sorted by their bytes) of the entries under `root` whose name satisfies
    /// `include`. Throws when `root` itself cannot be read; unreadable subfolders are skipped.
    public static func files(under root: String, include: (String) -> Bool) throws(FileError) -> [String] {
        var found: [String] = []
        try walk(root, relative: "", include: include, found: &found, isRoot: true)
        return found.sorted { FileName.bytes($0).lexicographicallyPrecedes(FileName.bytes($1)) }
    }

    /// Whether `path` is a folder (following a link, as `stat` does), by its name bytes.
    public static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return FileName.withCString(path) { stat($0, &info) } == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The lower-cased extension of a path's last component ("" when it has none).
    public static func pathExtension(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }

    private static func walk(
        _ root: String, relative: String, include: (String) -> Bool, found: inout [String], isRoot: Bool
    ) throws(FileError) {
        let folder = relative.isEmpty ? root : root + "/" + relative
        guard let stream = FileName.withCString(folder, { opendir($0) }) else {
            if isRoot { throw SystemCall.error(errno, "opendir", path: root) }
            return
        }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    FileName.decode(cString: $0)
                }
            }
            if name.hasPrefix(".") { continue }  // ".", ".." and hidden names
            let path = relative.isEmpty ? name : relative + "/" + name
            if include(path) { found.append(path) }
            if isFolder(root + "/" + path, type: entry.pointee.d_type) {
                try walk(root, relative: path, include: include, found: &found, isRoot: false)
            }
        }
    }

    /// Whether the entry is a real folder (not a link to one): from `d_type`, or lstat when the
    /// filesystem does not fill it in.
    private static func isFolder(_ path: String, type: UInt8) -> Bool {
        if type == UInt8(DT_DIR) { return true }
        guard type == UInt8(DT_UNKNOWN) else { return false }
        var info = stat()
        return FileName.withCString(path) { lstat($0, &info) } == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
