// Refuses anything that is not a readable regular file before FFmpeg sees it. Opening a FIFO
// would block forever and a device could stream without end, so the check uses lstat/stat and
// never opens the path.
import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The check every entry point runs before touching a path (hashing included).
public enum InputGuard {
    /// Checks `path` and returns its size in bytes.
    @discardableResult
    public static func check(_ path: String) throws -> Int64 {
        var link = stat()
        guard FileName.withCString(path, { lstat($0, &link) }) == 0 else {
            throw error(errno: errno, path: path, step: "lstat")
        }
        var target = link
        if (link.st_mode & S_IFMT) == S_IFLNK {
            // Follow the link ourselves to tell a dangling link and a loop apart from a good one.
            guard FileName.withCString(path, { stat($0, &target) }) == 0 else {
                let code = errno
                if code == ENOENT {
                    throw DecodeError(.notARegularFile, path: path, "is a symbolic link to a file that does not exist")
                }
                if code == ELOOP {
                    throw DecodeError(.notARegularFile, path: path, "is a symbolic link loop")
                }
                throw error(errno: code, path: path, step: "stat")
            }
        }
        let type = target.st_mode & S_IFMT
        guard type == S_IFREG else {
            throw DecodeError(.notARegularFile, path: path, "is \(describe(type)), not a regular file")
        }
        guard FileName.withCString(path, { access($0, R_OK) }) == 0 else {
            throw error(errno: errno, path: path, step: "access")
        }
        return Int64(target.st_size)
    }

    /// Maps an errno from a file-system call to a typed error.
    static func error(errno code: Int32, path: String, step: String) -> DecodeError {
        switch code {
        case ENOENT, ENOTDIR: return DecodeError(.fileNotFound, path: path, "no such file")
        case EACCES, EPERM: return DecodeError(.permissionDenied, path: path, "permission denied")
        case ELOOP: return DecodeError(.notARegularFile, path: path, "is a symbolic link loop")
        default:
            let text = String(cString: strerror(code))
            return DecodeError(.ioError, path: path, "\(step) failed: \(text)", call: step, code: code)
        }
    }

    private static func describe(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }
}
