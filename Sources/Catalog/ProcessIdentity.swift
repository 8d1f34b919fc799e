// This process as the catalog records it (host name and pid), and whether another recorded
// process is still alive — the test behind `markInterruptedRuns`. A pid
// can only be tested on its own host; a process on another machine is assumed alive.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The host and pid of a process.
public struct ProcessIdentity: Sendable, Equatable {
    public var host: String
    public var pid: Int32

    public init(host: String, pid: Int32) {
        self.host = host
        self.pid = pid
    }

    /// This process.
    public static var current: ProcessIdentity {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return ProcessIdentity(host: "localhost", pid: getpid()) }
        let bytes = name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return ProcessIdentity(host: String(decoding: bytes, as: UTF8.self), pid: getpid())
    }

    /// True only when the process certainly no longer exists: same host, and `kill(pid, 0)` says
    /// there is no such process. (A recycled pid reads as alive: the safe side.)
    public var isCertainlyDead: Bool {
        guard host == ProcessIdentity.current.host else { return false }
        if pid == getpid() { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
