// The one error type of the feature store: what went wrong, with the file it concerns and what to
// do about it, so the runner can record it per video and people can act on it.
import Basics

/// A feature-store failure.
public struct FeatureStoreError: VidactError, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        /// The file is not a valid vidact feature file (header, metadata, dtypes, shapes, sizes).
        case invalidFile = "invalid_file"
        /// The file is valid but does not belong where it sits (key or video hash mismatch).
        case misplaced
        /// Reading or writing failed (permissions, disk full, I/O).
        case io
        /// A video or feature file named by the user does not exist or is not cached.
        case notFound = "not_found"
    }

    public let kind: Kind
    public let path: String
    public let detail: String
    /// The errno of the failed system call, when there was one (a full disk is ENOSPC).
    public let errno: Int32?

    public init(_ kind: Kind, path: String, _ detail: String, errno: Int32? = nil) {
        self.kind = kind
        self.path = path
        self.detail = detail
        self.errno = errno
    }

    public var description: String { "\(path): \(detail)" }
}
