// The workdir was removed, moved or replaced while a run was using it. The run stops at the next
// unit it records: its catalog is open on a deleted file, so carrying on would write outputs the
// workdir's catalog never learns of (or into a folder someone meant to delete).
import Basics

/// The workdir is not the folder the run started in any more.
public struct WorkdirVanishedError: VidactError, Sendable, CustomStringConvertible {
    public let workdir: String

    public var description: String {
        "\(workdir): the workdir was removed, moved or replaced while this run was using it; the run stopped "
            + "(what it wrote since went with the old folder). Restore the folder, or run again to start a new one."
    }

    public var errno: Int32? { nil }
    public var exitStatus: Int32 { 1 }
}
