// The one-object-per-line JSON that `--json` options print: keys sorted so lines diff cleanly, and
// the `error` object that every subcommand reports a failed input with.
import Basics
import Foundation
import VideoDecoding

enum JSONLine {
    /// `object` as one line of JSON; it holds only JSON types, so serialisation cannot fail.
    static func encode(_ object: [String: Any]) -> String {
        guard let data = try? CanonicalJSON.data(object: object) else {
            preconditionFailure("JSONLine: not serialisable: \(object)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `{"kind": …, "message": …}` of a decode failure.
    static func error(_ error: DecodeError) -> [String: Any] {
        ["kind": error.kind.rawValue, "message": error.description]
    }
}
