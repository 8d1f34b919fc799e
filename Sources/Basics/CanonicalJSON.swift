// The JSON of vidact's own files and hashes: keys sorted, slashes not escaped, so the same value
// always gives the same bytes (config hashes, extractor keys, catalog records, JSON lines).
import Foundation

/// Deterministic JSON.
public enum CanonicalJSON {
    /// Sorted keys and unescaped slashes; `pretty` indents, for files people read.
    static func options(pretty: Bool) -> (JSONEncoder.OutputFormatting, JSONSerialization.WritingOptions) {
        pretty
            ? (
                [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted],
                [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            )
            : ([.sortedKeys, .withoutEscapingSlashes], [.sortedKeys, .withoutEscapingSlashes])
    }

    /// An encoder writing canonical JSON.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = options(pretty: pretty).0
        return encoder
    }

    /// The canonical JSON of a value made of strings, numbers, booleans, optionals, arrays and
    /// structs of them, whose encoding cannot fail; a failure is a programmer error and traps.
    public static func string<T: Encodable>(of value: T, pretty: Bool = false) -> String {
        do {
            return String(decoding: try encoder(pretty: pretty).encode(value), as: UTF8.self)
        } catch {
            preconditionFailure("CanonicalJSON: cannot encode \(T.self): \(error)")
        }
    }

    /// The canonical JSON of a JSONSerialization object (dictionaries, arrays, numbers, strings).
    public static func data(object: Any, pretty: Bool = false) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: options(pretty: pretty).1)
    }
}
