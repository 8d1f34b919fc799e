// Errors of the sequence stage that come from the environment (files, their contents): a file
// that is not a vidact sequence checkpoint, a checkpoint that does not fit the run that wants to
// resume from it, training data that cannot be used. Programmer errors trap instead.
import Basics

/// A failure of `SequenceClassifier` loading or of `Trainer`.
public struct SequenceModelError: VidactError, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The file is not a vidact sequence model (format, version or configuration).
        case notACheckpoint
        /// `checkpoint-last.safetensors` belongs to another model, configuration or data set.
        case incompatibleCheckpoint
        /// Training or validation examples that cannot be used.
        case invalidData
    }

    public let kind: Kind
    /// The file concerned (empty for data errors).
    public let path: String
    public let detail: String

    public init(_ kind: Kind, path: String = "", _ detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    public var description: String {
        path.isEmpty ? detail : "\(path): \(detail)"
    }
}
