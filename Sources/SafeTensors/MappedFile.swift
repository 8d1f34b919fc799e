// Owner of a read-only memory mapping of a whole regular file: mapped by the throwing init,
// unmapped in deinit. The descriptor is closed as soon as the mapping exists (the mapping keeps
// the file alive). Files shorter than the 8-byte safetensors length field are refused before
// mapping, which also keeps mmap away from empty files, where it fails.
//
// A file truncated by another process while mapped would fault on access (SIGBUS); safetensors
// files are only ever replaced by rename (see `AtomicFile`), never rewritten in place.

import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owner of an mmap of a whole file, read-only.
final class MappedFile: @unchecked Sendable {  // immutable after init; the mapping is read-only
    /// The file's bytes.
    let bytes: UnsafeRawBufferPointer
    private let base: UnsafeMutableRawPointer

    init(path: String) throws {
        do {
            (base, bytes) = try Self.map(path)
        } catch let error as FileError {
            throw SafeTensorsError(fileError: error)
        }
    }

    private static func map(_ path: String) throws -> (UnsafeMutableRawPointer, UnsafeRawBufferPointer) {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        let descriptor = try FileDescriptor(path: path, flags: O_RDONLY | O_NONBLOCK)
        var info = stat()
        try SystemCall.check(fstat(descriptor.rawValue, &info), "fstat", path: path)
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SafeTensorsError(.notARegularFile, path: path, "not a regular file (a directory, FIFO or device)")
        }
        let size = Int(info.st_size)
        guard size >= SafeTensorsHeader.lengthFieldSize else {
            throw SafeTensorsError(
                .fileTooShort, path: path,
                "the file has \(size) bytes, fewer than the \(SafeTensorsHeader.lengthFieldSize) of the header length")
        }
        let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor.rawValue, 0)
        guard let mapped, mapped != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw SystemCall.error(errno, "mmap", path: path)
        }
        return (mapped, UnsafeRawBufferPointer(start: mapped, count: size))
    }

    deinit {
        munmap(base, bytes.count)
    }
}
