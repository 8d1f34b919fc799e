// One runner per workdir: an advisory `flock` on `<workdir>/run.lock`. A plain run takes it
// exclusively; a shard run (`--shard i/N`) takes it shared — so shards run side by side but never
// beside a plain run — plus an exclusive lock on `run.lock.shard-i-of-N`, so the same shard never
// runs twice. The holder writes its pid, host and start time into the lock file it holds
// exclusively, which is what the refused process reports. The kernel drops the lock when the
// process dies (SIGKILL included), so there is never a stale lock to clean up. On a shared
// filesystem this needs working POSIX/flock locks (NFSv4 has them; see pipelines/README.md).
import Basics
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thrown when another runner holds the workdir; maps to exit status 3.
public struct WorkdirLockedError: VidactError, Sendable, CustomStringConvertible {
    public let workdir: String
    /// What the holder wrote: "pid 123 on host since 2026-…", or a note when unknown.
    public let holder: String

    public var exitStatus: Int32 { 3 }

    public var description: String {
        "\(workdir) is locked by another vidact run (\(holder)); wait for it to finish or run another --shard"
    }
}

/// A held workdir lock; released when this object goes away (or the process ends).
public final class WorkdirLock {
    private var descriptors: [Int32] = []

    /// Takes the lock for a plain run (`shard == nil`) or for one shard, without waiting.
    public init(workdir: String, shard: Shard?) throws {
        try FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
        let main = workdir + "/run.lock"
        do {
            if let shard {
                try take(main, exclusive: false, workdir: workdir)
                let own = "\(main).shard-\(shard.index)-of-\(shard.count)"
                try take(own, exclusive: true, workdir: workdir)
                try describeHolder(own, shard: shard)
            } else {
                try take(main, exclusive: true, workdir: workdir)
                try describeHolder(main, shard: nil)
            }
        } catch {
            release()
            throw error
        }
    }

    deinit { release() }

    private func take(_ path: String, exclusive: Bool, workdir: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
        guard flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK {
                throw WorkdirLockedError(workdir: workdir, holder: Self.holder(workdir: workdir))
            }
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: String(cString: strerror(code))])
        }
        descriptors.append(fd)
    }

    private func describeHolder(_ path: String, shard: Shard?) throws {
        guard let fd = descriptors.last else { return }
        let text =
            "pid \(getpid()) on \(ProcessInfo.processInfo.hostName)\(shard.map { " shard \($0)" } ?? "") since \(Self.now())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// What the holders of `workdir`'s locks wrote (plain run or shards).
    static func holder(workdir: String) -> String {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: workdir)) ?? []).filter {
            $0 == "run.lock" || $0.hasPrefix("run.lock.shard-")
        }
        let texts = names.sorted().compactMap { name -> String? in
            let text = (try? String(contentsOfFile: workdir + "/" + name, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard let text, !text.isEmpty, !isStale(text) else { return nil }
            return text
        }
        return texts.isEmpty ? "holder unknown" : texts.joined(separator: "; ")
    }

    /// A holder line of a process on this host that no longer runs (its lock is gone with it).
    static func isStale(_ line: String) -> Bool {
        let fields = line.split(separator: " ")
        guard fields.count >= 4, fields[0] == "pid", let pid = pid_t(fields[1]),
            fields[3] == Substring(ProcessInfo.processInfo.hostName)
        else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    private func release() {
        for fd in descriptors.reversed() { close(fd) }
        descriptors.removeAll()
    }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date())
    }
}
