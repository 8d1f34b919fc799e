// The one error type of the catalog: what went wrong, with the database file it concerns and
// what to do about it. SQLite's own result code and message are kept in `detail`, so the runner
// can record a catalog failure like any other and people can act on it.
import Basics

/// A catalog failure.
public struct CatalogError: VidactError, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        /// The database file cannot be opened or created (permissions, missing folder, not SQLite).
        case open
        /// The file was written by a newer vidact: its schema has migrations this build lacks.
        case schemaTooNew = "schema_too_new"
        /// Another process held the database locked for longer than the busy timeout.
        case busy
        /// A statement failed (constraint, I/O); the SQLite message is in `detail`.
        case sql
        /// SQLite finds the file damaged (SQLITE_CORRUPT, SQLITE_NOTADB): flipped or truncated
        /// pages, a file that is not a database. `vidact catalog rebuild` sets it aside and rebuilds.
        case damaged
        /// A run, model or other named row does not exist.
        case notFound = "not_found"
        /// A run id prefix matches more than one run.
        case ambiguous
    }

    public let kind: Kind
    /// The database file.
    public let path: String
    public let detail: String
    /// ENOSPC when SQLite reported a full disk (SQLITE_FULL); nil otherwise.
    public let errno: Int32?

    public init(_ kind: Kind, path: String, _ detail: String, errno: Int32? = nil) {
        self.kind = kind
        self.path = path
        self.detail = detail
        self.errno = errno
    }

    public var description: String {
        switch kind {
        case .busy:
            return
                "\(path): \(detail) (another vidact process kept the catalog locked; retry, or raise the busy timeout)"
        case .schemaTooNew:
            return "\(path): \(detail) (this catalog was written by a newer vidact; upgrade vidact)"
        case .damaged:
            let workdir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            return "\(path): \(detail) — the catalog is damaged; run `vidact catalog rebuild --workdir "
                + "\(Shell.quote(workdir))`: it keeps the damaged file beside it and rebuilds the index from the "
                + "feature files and models (run history is not recoverable; no feature file or model is lost)"
        default:
            return "\(path): \(detail)"
        }
    }
}
