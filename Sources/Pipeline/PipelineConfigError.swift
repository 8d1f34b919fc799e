// The error of a pipeline file that cannot be used: the file, the line, the key path and what is
// wrong (with the allowed keys or values when that helps), so a person can fix it at once. Maps to
// exit status 2 (bad configuration).
import Basics

/// A problem in a pipeline file.
public struct PipelineConfigError: VidactError, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    /// 1-based line, when the problem has a place in the file.
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var exitStatus: Int32 { 2 }

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}
