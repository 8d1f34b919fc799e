// The one `check` helper for the C library (POSIX calls through Glibc): a -1 return becomes a
// `SafeTensorsError` carrying the call, errno, the C library's own message and the file.
// `EINTR` is retried by the callers that can see it (`write`), not reported.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

enum SystemCall {
    /// `result` unless it is -1, in which case throws for `errno`.
    @discardableResult
    static func check<Result: BinaryInteger>(_ result: Result, _ call: String, path: String) throws -> Result {
        guard result == -1 else { return result }
        throw error(errno, call, path: path)
    }

    /// The error for `code` (an errno) from `call` on `path`.
    static func error(_ code: Int32, _ call: String, path: String) -> SafeTensorsError {
        let kind: SafeTensorsError.Kind
        switch code {
        case ENOENT, ENOTDIR: kind = .fileNotFound
        case EACCES, EPERM, EROFS: kind = .permissionDenied
        case EISDIR: kind = .notARegularFile
        default: kind = .ioError
        }
        let message = String(cString: strerror(code))
        return SafeTensorsError(kind, path: path, "\(call): \(message)", call: call, code: code)
    }
}
