// How a process opens the catalog: the journal mode and how long to wait for other processes.
//
// WAL (the default) lets readers run beside the one writer and is the fast, crash-safe choice when
// every process that shares the workdir runs on ONE machine: WAL coordinates through a shared-memory
// file (`catalog.sqlite-shm`) that only works between processes of one kernel. Shards on SEVERAL
// machines sharing a network filesystem must all open the catalog with `.rollback` (SQLite's
// `journal_mode=DELETE`), which coordinates through POSIX advisory locks on the database file and
// so needs a filesystem whose locks work across machines (NFSv4 with locking, Lustre, CephFS; not
// sshfs, not NFS mounted with `nolock`). All processes sharing one catalog must use the same mode:
// a WAL catalog cannot be switched while another process has it open.

/// Options of `Catalog(path:options:)`.
public struct CatalogOptions: Sendable, Equatable {
    public enum JournalMode: String, Sendable, Equatable, CaseIterable {
        /// `journal_mode=WAL`: concurrent readers, one writer; processes on one machine only.
        case wal
        /// `journal_mode=DELETE`: a rollback journal and file locks; for shards on several
        /// machines sharing a filesystem with working POSIX locks.
        case rollback
    }

    public var journalMode: JournalMode
    /// How long a write waits for another process's write transaction before failing with
    /// `CatalogError.Kind.busy`.
    public var busyTimeoutSeconds: Double

    public init(journalMode: JournalMode = .wal, busyTimeoutSeconds: Double = 30) {
        self.journalMode = journalMode
        self.busyTimeoutSeconds = busyTimeoutSeconds
    }
}
