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
public final class FileDescriptor {
    public let rawValue: Int32
    /// The path it was opened with, for errors.
    public let path: String

    public init(path: String, flags: Int32, mode: mode_t = 0) throws(FileError) {
        self.rawValue = try SystemCall.check(
            FileName.withCString(path) { open($0, flags | O_CLOEXEC, mode) }, "open", path: path)
        self.path = path
    }

    deinit {
        close(rawValue)
    }

    /// Writes all of `bytes`, retrying short writes and EINTR.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = write(rawValue, base + offset, bytes.count - offset)
            if written == -1 && errno == EINTR { continue }
            try SystemCall.check(written, "write", path: path)
            offset += written
        }
    }

    /// fsync: the data and metadata reach the disk.
    public func sync() throws(FileError) {
        try SystemCall.check(fsync(rawValue), "fsync", path: path)
    }

    /// fsyncs the folder `path`, so that a rename or a new entry in it is durable.
    public static func syncFolder(_ path: String) throws(FileError) {
        try FileDescriptor(path: path, flags: O_RDONLY | O_DIRECTORY).sync()
    }
}
