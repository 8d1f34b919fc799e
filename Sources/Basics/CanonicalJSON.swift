// The JSON of vidact's own files and hashes: keys sorted, slashes not escaped, so the same value
// always gives the same bytes (config hashes, extractor keys, catalog records, JSON lines).
import Foundation

/// Deterministic JSON.
public enum CanonicalJSON {
    /// An encoder with sorted keys and unescaped slashes (`pretty`: indented, for files people read).
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The canonical JSON of `value`.
    public static func data<T: Encodable>(_ value: T, pretty: Bool = false) throws -> Data {
        try encoder(pretty: pretty).encode(value)
    }

    /// The canonical JSON of `value` as a string.
    public static func string<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        String(decoding: try data(value, pretty: pretty), as: UTF8.self)
    }

    /// The canonical JSON of a value made of strings, numbers, booleans, optionals, arrays and
    /// structs of them, whose encoding cannot fail; a failure is a programmer error and traps.
    public static func string<T: Encodable>(of value: T) -> String {
        do {
            return try string(value)
        } catch {
            preconditionFailure("CanonicalJSON: cannot encode \(T.self): \(error)")
        }
    }

    /// The canonical JSON of a JSONSerialization object (dictionaries, arrays, numbers, strings).
    public static func data(object: Any, pretty: Bool = false) throws -> Data {
        try JSONSerialization.data(
            withJSONObject: object,
            options: pretty
                ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes])
    }
}
