// The one `check` helper for the C library (POSIX calls through Glibc): a -1 return becomes a
// `FileError` carrying the call, errno, the C library's own message and the file. `EINTR` is
// retried by the callers that can see it (`FileDescriptor.writeAll`), not reported.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checked POSIX calls.
public enum SystemCall {
    /// `result` unless it is -1, in which case throws for `errno`.
    @discardableResult
    public static func check<Result: BinaryInteger>(
        _ result: Result, _ call: String, path: String
    ) throws(FileError)
        -> Result
    {
        guard result == -1 else { return result }
        throw error(errno, call, path: path)
    }

    /// The error for `code` (an errno) from `call` on `path`.
    public static func error(_ code: Int32, _ call: String, path: String) -> FileError {
        let message = String(cString: strerror(code))
        return FileError(FileError.Kind(errno: code), path: path, "\(call): \(message)", call: call, code: code)
    }
}
