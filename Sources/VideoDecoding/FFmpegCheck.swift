// The one place that turns FFmpeg return codes into `DecodeError`s. EAGAIN and EOF are control
// flow in the send/receive API and are handled by callers before they reach here.
import CFFmpeg

/// FFmpeg's own text for an error code (`av_strerror`).
package func avErrorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    if av_strerror(code, &buffer, buffer.count) < 0 { return "unknown FFmpeg error \(code)" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

package enum FFmpegCodes {
    package static let again = vidact_averror_eagain()
    package static let eof = vidact_averror_eof()
    package static let invalidData = vidact_averror_invaliddata()
    package static let exit = vidact_averror_exit()
    package static let noMemory = vidact_averror_enomem()
    package static let accessDenied = vidact_averror_eacces()
    package static let noEntry = vidact_averror_enoent()
    package static let decoderNotFound = vidact_averror_decoder_not_found()
    package static let patchWelcome = vidact_averror_patchwelcome()
    package static let noPTS = vidact_av_nopts_value()
}

/// Returns `code` when it is not negative; otherwise throws a `DecodeError` of `kind` (or of the
/// kind the code itself implies, such as a timeout from the interrupt callback).
@discardableResult
package func avCheck(_ code: Int32, _ call: String, path: String, kind: DecodeError.Kind, what: String) throws -> Int32
{
    guard code < 0 else { return code }
    let resolved: DecodeError.Kind
    switch code {
    case FFmpegCodes.exit: resolved = .timedOut
    case FFmpegCodes.noEntry: resolved = .fileNotFound
    case FFmpegCodes.accessDenied: resolved = .permissionDenied
    default: resolved = kind
    }
    throw DecodeError(resolved, path: path, "\(what): \(avErrorText(code))", call: call, code: code)
}

/// Sets FFmpeg's global log level. The CLI keeps FFmpeg quiet unless asked, because errors are
/// reported through `DecodeError` and counts instead of FFmpeg's own stderr lines.
public enum FFmpegLog {
    public enum Level: Int32, Sendable {
        case quiet = -8
        case error = 16
        case warning = 24
        case info = 32
        case debug = 48
    }

    public static func setLevel(_ level: Level) { av_log_set_level(level.rawValue) }
}
