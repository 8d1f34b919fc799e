// Runs another program for the scheduler (`crontab`, `systemctl`): a name looked up on PATH or an
// absolute path, optional bytes on standard input, and both output streams collected (read
// concurrently, so a full stderr pipe cannot block). A program that cannot be started is reported
// as status 127, like a shell does, so callers treat "missing" and "failed" alike.
import Basics
import Foundation

/// What an external command did.
public struct ExternalCommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// A program and how to call it.
public struct ExternalCommand: Sendable {
    /// A program name (looked up on PATH) or an absolute path.
    public var program: String

    public init(_ program: String) { self.program = program }

    /// Runs the program with `arguments`, feeding `input` to its standard input.
    public func run(_ arguments: [String], input: String? = nil) -> ExternalCommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
        process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        do {
            try process.run()
        } catch {
            return ExternalCommandResult(status: 127, stdout: "", stderr: "cannot start \(program): \(error)")
        }
        let writer = inPipe.fileHandleForWriting
        DispatchQueue.global().async {
            if let input { try? writer.write(contentsOf: Data(input.utf8)) }
            try? writer.close()
        }
        nonisolated(unsafe) var errorData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ExternalCommandResult(
            status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self))
    }

    /// The command line as a person would type it (for messages).
    public func line(_ arguments: [String]) -> String {
        ([program] + arguments).map(Shell.quote).joined(separator: " ")
    }
}
