// A full disk said plainly: which filesystem holds the workdir, how much is free, and what to do.
// Every write of vidact is atomic, so nothing half-written is left behind and the next run after
// freeing space carries on where this one stopped.
import Basics
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

enum DiskSpace {
    /// Whether `error` is a full disk: its errno (through `VidactError`) is ENOSPC or EDQUOT.
    static func isFull(_ error: Error) -> Bool { isFull(errno: errnoOf(error)) }

    static func isFull(errno code: Int32?) -> Bool { code == ENOSPC || code == EDQUOT }

    /// "the disk holding W (mounted at M, 12 KiB free of 2.0 MiB) is full; …".
    static func advice(for workdir: String) -> String {
        var info = statvfs()
        var detail = ""
        if statvfs(workdir, &info) == 0 {
            let free = Double(info.f_bavail) * Double(info.f_frsize)
            let total = Double(info.f_blocks) * Double(info.f_frsize)
            detail = String(format: " (%.0f KiB free of %.1f MiB)", free / 1024, total / 1_048_576)
        }
        return "the disk holding \(workdir)\(mountPoint(of: workdir).map { ", mounted at \($0)," } ?? "") is full"
            + "\(detail); nothing half-written was kept: free space (or move the workdir) and run again to carry on"
    }

    /// The mount point of the filesystem holding `path`, from /proc/self/mounts (longest prefix).
    static func mountPoint(of path: String) -> String? {
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return nil }
        let points = mounts.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            return fields.count > 1 ? String(fields[1]) : nil
        }
        return points.filter { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
            .max { $0.count < $1.count }
    }
}
