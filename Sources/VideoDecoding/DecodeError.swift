// Typed errors of the decode stage. Every error names the file, says what is wrong in words a
// person can act on, and carries FFmpeg's own message and code when FFmpeg produced it.
import Basics

/// Why a video could not be opened, probed or decoded.
public struct DecodeError: VidactError, Sendable, Equatable, CustomStringConvertible {
    /// The category of failure; stable names for logs, JSON and exit codes.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case fileNotFound
        case permissionDenied
        /// A FIFO, device, socket, directory, dangling symlink or symlink loop.
        case notARegularFile
        case notAVideo
        case noVideoStream
        case unsupportedCodec
        case corruptData
        case timedOut
        case tooLarge
        case ioError
        /// The caller asked for something impossible (bad size, zero fps, …).
        case invalidRequest
    }

    public let kind: Kind
    /// The file the error is about.
    public let path: String
    /// What went wrong, in words.
    public let detail: String
    /// The FFmpeg call that failed and its error code, when there was one.
    public let call: String?
    public let code: Int32?

    public init(_ kind: Kind, path: String, _ detail: String, call: String? = nil, code: Int32? = nil) {
        self.kind = kind
        self.path = path
        self.detail = detail
        self.call = call
        self.code = code
    }

    /// The errno behind an FFmpeg error code: AVERROR(e) is -e for system errors (FFmpeg's own
    /// codes are large negative tags).
    public var errno: Int32? {
        guard let code, code < 0, code > -4096 else { return nil }
        return -code
    }

    /// One line: file, what is wrong, what to do.
    public var description: String {
        var text = "\(path): \(detail)"
        if let call, let code { text += " [\(call) returned \(code)]" }
        return text + " — " + kind.advice
    }
}

extension DecodeError.Kind {
    /// What a person can do about this kind of failure.
    public var advice: String {
        switch self {
        case .fileNotFound: return "check the path; the file does not exist."
        case .permissionDenied: return "make the file readable by this user."
        case .notARegularFile: return "only regular video files can be read; point vidact at the file itself."
        case .notAVideo: return "FFmpeg does not recognise this as a media file; it may be another format or damaged."
        case .noVideoStream: return "the file has no video stream (audio only, or only cover art)."
        case .unsupportedCodec:
            return "this FFmpeg build has no decoder for the codec; re-encode the video (e.g. to H.264)."
        case .corruptData: return "the video is damaged or truncated; re-encode or re-download it."
        case .timedOut: return "decoding took longer than the watchdog allows; raise --timeout or check the storage."
        case .tooLarge: return "the video exceeds a configured cap; raise the cap if this is intended."
        case .ioError: return "reading the file failed; check the disk or network mount."
        case .invalidRequest: return "fix the requested option."
        }
    }
}
