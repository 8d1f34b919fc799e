// Runs a command-line tool for tests (the ffmpeg/ffprobe oracles, the vidact binary) and collects
// its exit status and both output streams, read concurrently so a full stderr pipe cannot block a
// large stdout. Shared by the test targets; not part of vidact.
import Foundation

public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdoutData: Data
    public var stderrData: Data

    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrData, as: UTF8.self) }
}

/// Runs `tool` (an absolute path, or a name looked up on PATH) with `arguments`.
public func runProcess(_ tool: String, _ arguments: [String]) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool.hasPrefix("/") ? tool : "/usr/bin/env")
    process.arguments = tool.hasPrefix("/") ? arguments : [tool] + arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
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
    return ProcessResult(status: process.terminationStatus, stdoutData: data, stderrData: errorData)
}
