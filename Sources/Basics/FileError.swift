// A failed file operation (open, write, fsync, rename, mmap, …): the file, the call, errno and the
// C library's own message, and a sentence saying what to do. Thrown by `SystemCall.check` and so
// by `FileDescriptor` and `AtomicFile`; modules with a format of their own (safetensors, feature
// files) may wrap it in their error type, keeping the errno.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a file could not be opened, read or written.
public struct FileError: VidactError, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case fileNotFound, permissionDenied, notARegularFile, diskFull, ioError

        /// The kind of `code` (an errno).
        public init(errno code: Int32) {
            switch code {
            case ENOENT, ENOTDIR: self = .fileNotFound
            case EACCES, EPERM, EROFS: self = .permissionDenied
            case EISDIR: self = .notARegularFile
            case ENOSPC, EDQUOT: self = .diskFull
            default: self = .ioError
            }
        }

        /// What to do about it.
        public var advice: String {
            switch self {
            case .fileNotFound: return "check the path; the file does not exist."
            case .permissionDenied: return "make the file (or its folder, when writing) accessible to this user."
            case .notARegularFile: return "point at the file itself."
            case .diskFull: return "free space on that disk (nothing half-written was kept) and run again."
            case .ioError: return "check the disk and the file system."
            }
        }
    }

    public let kind: Kind
    /// The file the error is about.
    public let path: String
    /// What went wrong, in words.
    public let detail: String
    /// The system call that failed and its errno, when there was one.
    public let call: String?
    public let code: Int32?

    public init(_ kind: Kind, path: String, _ detail: String, call: String? = nil, code: Int32? = nil) {
        self.kind = kind
        self.path = path
        self.detail = detail
        self.call = call
        self.code = code
    }

    public var errno: Int32? { code }

    /// One line: file, what is wrong, what to do.
    public var description: String {
        var text = "\(FileName.display(path)): \(detail)"
        if let call, let code { text += " [\(call) failed with errno \(code)]" }
        return text + " — " + kind.advice
    }

    /// The same error about `path` (the file the caller asked for rather than a temporary name),
    /// with `note` added to the detail.
    public func about(_ path: String, note: String) -> FileError {
        FileError(kind, path: path, detail + note, call: call, code: code)
    }
}
