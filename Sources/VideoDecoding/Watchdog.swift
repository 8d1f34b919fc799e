// A wall-clock deadline that FFmpeg polls through its interrupt callback (during open, probing
// and every read) and that the decode loop also checks between frames, so a stalled mount or a
// pathological file cannot hang a batch.
import CFFmpeg

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

final class Watchdog {
    private let deadline: UInt64?
    let seconds: Double?

    init(seconds: Double?) {
        self.seconds = seconds
        if let seconds, seconds > 0 {
            deadline = Watchdog.now() + UInt64(seconds * 1e9)
        } else {
            deadline = nil
        }
    }

    var expired: Bool {
        guard let deadline else { return false }
        return Watchdog.now() >= deadline
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// The callback record FFmpeg stores; `opaque` is this object, unretained. The owner of the
    /// AVFormatContext keeps the watchdog alive for as long as the context lives.
    func interruptCallback() -> AVIOInterruptCB {
        AVIOInterruptCB(
            callback: { opaque in
                guard let opaque else { return 0 }
                return Unmanaged<Watchdog>.fromOpaque(opaque).takeUnretainedValue().expired ? 1 : 0
            },
            opaque: Unmanaged.passUnretained(self).toOpaque())
    }

    func timeoutError(path: String) -> DecodeError {
        DecodeError(.timedOut, path: path, "gave up after the \(seconds ?? 0) s watchdog expired")
    }
}
