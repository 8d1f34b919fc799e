// Owner of an open file descriptor: opened by the throwing init, closed in deinit. Data written
// through it is made durable with `sync()` (fsync, checked) before the owner goes away, so the
// unchecked close in deinit cannot lose a write error that matters.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owner of a POSIX file descriptor.
final class FileDescriptor {
    let rawValue: Int32
    /// The path it was opened with, for errors.
    let path: String

    init(path: String, flags: Int32, mode: mode_t = 0) throws {
        self.rawValue = try SystemCall.check(open(path, flags | O_CLOEXEC, mode), "open", path: path)
        self.path = path
    }

    deinit {
        close(rawValue)
    }

    /// Writes all of `bytes`, retrying short writes and EINTR.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(rawValue, bytes.baseAddress! + offset, bytes.count - offset)
            if written == -1 && errno == EINTR { continue }
            try SystemCall.check(written, "write", path: path)
            offset += written
        }
    }

    /// fsync: the data and metadata reach the disk.
    func sync() throws {
        try SystemCall.check(fsync(rawValue), "fsync", path: path)
    }
}
