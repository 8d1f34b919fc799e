// The one CSV reader and writer of vidact's own files (manifests, segment annotations,
// predictions, logs), RFC 4180 quoting with one rule set:
// - fields are separated by `,`; lines end in "\n" or "\r\n" (callers split lines; a quoted field
//   cannot span lines);
// - a field that starts with `"` (after optional spaces or tabs) runs to the matching closing `"`,
//   may contain commas, and writes a quote as `""`; only spaces or tabs may follow the closing
//   quote before the next comma;
// - an unquoted field is kept as written, or trimmed of spaces and tabs with `trimUnquoted`.
// The writer quotes a field only when it must (a comma, a quote, a line break, or leading or
// trailing spaces that a reader trims).
import Foundation

/// RFC 4180 fields.
public enum CSV {
    /// What is wrong with a line; the caller adds the file and line number.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case unterminatedQuote
        case textAfterClosingQuote(field: Int)

        public var description: String {
            switch self {
            case .unterminatedQuote:
                return "a quoted field has no closing quote (quoted fields cannot span lines)"
            case .textAfterClosingQuote(let field):
                return "text after the closing quote of field \(field); quote the whole field"
            }
        }
    }

    /// The fields of one line.
    public static func fields<Line: StringProtocol>(
        of line: Line, trimUnquoted: Bool = false
    ) throws(ParseError) -> [String] {
        var fields: [String] = []
        var chars = Array(line)[...]
        while true {
            var field = ""
            let blanks = chars.prefix { $0 == " " || $0 == "\t" }
            if chars.dropFirst(blanks.count).first == "\"" {
                chars.removeFirst(blanks.count + 1)
                var closed = false
                while let c = chars.popFirst() {
                    if c != "\"" {
                        field.append(c)
                    } else if chars.first == "\"" {
                        chars.removeFirst()
                        field.append("\"")
                    } else {
                        closed = true
                        break
                    }
                }
                guard closed else { throw .unterminatedQuote }
                while chars.first == " " || chars.first == "\t" { chars.removeFirst() }
                guard chars.isEmpty || chars.first == "," else {
                    throw .textAfterClosingQuote(field: fields.count + 1)
                }
            } else {
                while let c = chars.first, c != "," {
                    field.append(c)
                    chars.removeFirst()
                }
                if trimUnquoted { field = field.trimmingCharacters(in: CharacterSet(charactersIn: " \t")) }
            }
            fields.append(field)
            guard chars.popFirst() == "," else { return fields }
        }
    }

    /// `text` as one field: quoted (with `""` for quotes) only when it must be.
    public static func field(_ text: String) -> String {
        let mustQuote =
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            || text.first == " " || text.last == " " || text.first == "\t" || text.last == "\t"
        return mustQuote ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// One line of fields (no line end).
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }
}
