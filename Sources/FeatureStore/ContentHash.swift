// Streaming SHA-256 of a file's bytes: the identity of a video. Read in 1 MiB chunks, so memory
// stays flat whatever the file's size.
import Basics
import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Content hashes of files.
public enum ContentHash {
    /// The SHA-256 of the file at `path`, as 64 lower-case hex digits.
    public static func sha256(path: String) throws -> String {
        let fd = FileName.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else {
            throw FeatureStoreError(.io, path: path, "cannot open for hashing: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var hasher = SHA256()
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, chunk)
            if count < 0 {
                if errno == EINTR { continue }
                throw FeatureStoreError(
                    .io, path: path, "read failed while hashing: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return hasher.finalize().hexString
    }
}

extension ContentHash {
    /// The SHA-256 of `text`'s UTF-8 bytes, as 64 lower-case hex digits.
    public static func sha256(text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexString
    }
}
