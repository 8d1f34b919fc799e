// Why a schedule could not be installed, listed or removed: the file or command involved, what went
// wrong and what to do next. Maps to exit status 1 (2 for usage errors, which the CLI catches
// before the library is called).
import Basics

/// A scheduling failure, with the path or command it concerns.
public struct ScheduleError: VidactError, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No schedule of that name in the registry.
        case unknownSchedule
        /// A file could not be read or written.
        case io
        /// `crontab` failed, or the crontab holds a damaged vidact block.
        case crontab
        /// The registry file is not a vidact schedule registry.
        case registry
    }

    public let kind: Kind
    /// The file or command concerned.
    public let subject: String
    public let message: String

    public init(_ kind: Kind, _ subject: String, _ message: String) {
        self.kind = kind
        self.subject = subject
        self.message = message
    }

    public var description: String { "\(subject): \(message)" }
}
