// The ffmpeg and ffprobe command-line tools as oracles (independent of vidact), a fresh temporary
// directory removed on release, and a byte-difference summary for failure messages. Shared by the
// test targets; not part of vidact.
import Foundation

public enum Oracle {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `tool` with `arguments` and returns its standard output; throws with stderr on failure.
    public static func run(_ tool: String, _ arguments: [String]) throws -> Data {
        let result = try runProcess(tool, arguments)
        guard result.status == 0 else {
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result.stdoutData
    }

    /// Raw RGB24 bytes of every frame, as `ffmpeg -vf FILTER -pix_fmt rgb24 -f rawvideo -`, one
    /// output frame per decoded frame (`-fps_mode passthrough`: no duplicates for VFR input).
    /// `-autoscale 0` stops the CLI from appending its own bicubic scaler when a stream changes
    /// size mid-way, which it does only after its first reconfiguration.
    public static func rgbFrames(_ path: String, filter: String) throws -> [UInt8] {
        let data = try run(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-i", path, "-vf", filter, "-fps_mode", "passthrough", "-autoscale", "0",
                "-pix_fmt", "rgb24", "-f", "rawvideo", "-",
            ])
        return [UInt8](data)
    }

    /// best_effort_timestamp_time of every decoded frame of the first video stream, in order.
    public static func frameTimestamps(_ path: String, stream: Int = 0) throws -> [Double] {
        let data = try run(
            "ffprobe",
            [
                "-v", "error", "-select_streams", "v:\(stream)", "-show_entries", "frame=best_effort_timestamp_time",
                "-of", "csv=p=0", path,
            ])
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap {
            Double($0.trimmingCharacters(in: CharacterSet(charactersIn: ", ")))
        }
    }

    /// One field of `ffprobe -show_streams` for the chosen stream, as text.
    public static func streamField(_ path: String, _ field: String, stream: String = "v:0") throws -> String {
        let data = try run(
            "ffprobe",
            [
                "-v", "error", "-select_streams", stream, "-show_entries", "stream=\(field)", "-of",
                "default=nw=1:nk=1",
                path,
            ])
        // One value per line; MPEG-TS lists a stream again under its program, so keep the first ones.
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        return lines.prefix(field.split(separator: ",").count).joined(separator: ",")
    }
}

/// A fresh temporary directory, removed when the value is released.
public final class TemporaryDirectory {
    public let url: URL

    public init() throws {
        url = URL(fileURLWithPath: try Self.make("test"))
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// A fresh folder `vidact-<prefix>-<UUID>` under the system's temporary folder, kept after the
    /// test (for tests that look at what a child process left, or clean up themselves).
    public static func make(_ prefix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vidact-\(prefix)-\(UUID().uuidString)"
        )
        .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// The first position where two byte arrays differ and the largest absolute difference, for
/// failure messages.
public func byteDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
    guard a.count == b.count else { return "sizes differ: \(a.count) vs \(b.count) bytes" }
    var first: Int?
    var maximum = 0
    for i in 0..<a.count where a[i] != b[i] {
        if first == nil { first = i }
        maximum = max(maximum, abs(Int(a[i]) - Int(b[i])))
    }
    guard let first else { return "equal" }
    return "first mismatch at byte \(first) (\(a[first]) vs \(b[first])), max |diff| \(maximum)"
}
