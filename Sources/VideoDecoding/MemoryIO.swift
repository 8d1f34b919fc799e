// Owner of an AVIOContext that reads from a byte buffer in memory: the read and seek callbacks
// work on a cursor over the bytes, so libavformat demuxes a buffer as it would a file. Each
// Demuxer gets its own MemoryIO (its own position); the bytes are shared, never copied.
import CFFmpeg

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

final class MemoryIO {
    let context: UnsafeMutablePointer<AVIOContext>
    /// Read by the callbacks through the context's opaque pointer, which does not retain it.
    private let cursor: Cursor

    final class Cursor {
        let bytes: [UInt8]
        var position = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    /// libavformat's usual I/O block size.
    private static let blockSize = 32 * 1024

    init(bytes: [UInt8], name: String) throws {
        cursor = Cursor(bytes)
        guard let buffer = av_malloc(MemoryIO.blockSize) else {
            throw DecodeError(.ioError, path: name, "out of memory allocating an I/O buffer")
        }
        let opaque = Unmanaged.passUnretained(cursor).toOpaque()
        guard
            let allocated = avio_alloc_context(
                buffer.assumingMemoryBound(to: UInt8.self), Int32(MemoryIO.blockSize), 0, opaque, MemoryIO.read,
                nil, MemoryIO.seek)
        else {
            av_free(buffer)
            throw DecodeError(.ioError, path: name, "out of memory allocating an I/O context")
        }
        context = allocated
    }

    deinit {
        // libavformat may have replaced the buffer; the context holds the one to free.
        av_freep(&context.pointee.buffer)
        var pointer: UnsafeMutablePointer<AVIOContext>? = context
        avio_context_free(&pointer)
    }

    private static let read: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = {
        opaque, buffer, size in
        guard let opaque, let buffer, size > 0 else { return FFmpegCodes.eof }
        let cursor = Unmanaged<Cursor>.fromOpaque(opaque).takeUnretainedValue()
        let count = min(Int(size), cursor.bytes.count - cursor.position)
        // A stream protocol must never return 0: the end is AVERROR_EOF.
        guard count > 0 else { return FFmpegCodes.eof }
        cursor.bytes.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            buffer.update(from: base + cursor.position, count: count)
        }
        cursor.position += count
        return Int32(count)
    }

    private static let seek: @convention(c) (UnsafeMutableRawPointer?, Int64, Int32) -> Int64 = {
        opaque, offset, whence in
        guard let opaque else { return Int64(FFmpegCodes.invalidData) }
        let cursor = Unmanaged<Cursor>.fromOpaque(opaque).takeUnretainedValue()
        let size = Int64(cursor.bytes.count)
        // AVSEEK_FORCE only says the seek should happen even if costly; here every seek is cheap.
        let mode = whence & ~Int32(AVSEEK_FORCE)
        if mode == AVSEEK_SIZE { return size }
        let target: Int64
        switch mode {
        case SEEK_SET: target = offset
        case SEEK_CUR: target = Int64(cursor.position) &+ offset
        case SEEK_END: target = size &+ offset
        default: return Int64(FFmpegCodes.invalidData)
        }
        guard target >= 0, target <= size else { return Int64(FFmpegCodes.invalidData) }
        cursor.position = Int(target)
        return target
    }
}
