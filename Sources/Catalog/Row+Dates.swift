// Dates read from catalog rows without trusting the text. GRDB stores a Date as
// "YYYY-MM-DD HH:MM:SS.SSS" and parses it back with its own digit parser, which traps on
// arithmetic overflow for a long run of digits (found by the `catalog` fuzz target on a damaged
// file). So the text is checked for the characters and the digit-run lengths GRDB writes before
// GRDB converts it; anything else is a damaged row, an error, never a trap.
import Foundation
import GRDB

/// A row whose values do not have the shapes vidact writes (a damaged catalog).
struct DamagedRowError: Error, CustomStringConvertible {
    let column: String
    let value: String

    var description: String { "column \(column) holds \(value.prefix(40).debugDescription), not a date" }
}

extension Row {
    /// Whether `text` can be a date GRDB wrote: at most 29 characters of digits and `- :T.`, no run
    /// of more than 9 digits (GRDB's parser accumulates a run in an Int).
    static func looksLikeDate(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 29 else { return false }
        var run = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                run += 1
                if run > 9 { return false }
            case UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "T"), UInt8(ascii: "."):
                run = 0
            default:
                return false
            }
        }
        return true
    }

    /// The date in `column`, checked before GRDB parses it.
    func decodeDate(_ column: String) throws -> Date {
        guard let date = try decodeDateIfPresent(column) else { throw DamagedRowError(column: column, value: "NULL") }
        return date
    }

    /// The date in `column`, nil for NULL; checked before GRDB parses it.
    func decodeDateIfPresent(_ column: String) throws -> Date? {
        guard let text: String = try decode(forColumn: column) else { return nil }
        guard Self.looksLikeDate(text), let date = Date.fromDatabaseValue(text.databaseValue) else {
            throw DamagedRowError(column: column, value: text)
        }
        return date
    }
}
