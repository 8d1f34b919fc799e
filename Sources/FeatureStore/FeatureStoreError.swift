// The one error type of the feature store: what went wrong, with the file it concerns and what to
// do about it, so the runner can record it per video and people can act on it.

/// A feature-store failure.
public struct FeatureStoreError: Error, Sendable, Equatable, CustomStringConvertible {
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

    public init(_ kind: Kind, path: String, _ detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }
}
