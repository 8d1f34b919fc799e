// The managed blocks vidact keeps in a user's crontab, one per cron schedule:
//
//   # BEGIN vidact <name> (managed by vidact schedule; do not edit)
//   MM HH * * * '/abs/workdir/schedule/<name>.sh'
//   # END vidact <name>
//
// Pure text edits: installing replaces the block of that name in place (or appends it), removing
// deletes exactly its lines; every other byte of the crontab is kept as it was. `Crontab` reads and
// writes the table through the `crontab` command (`crontab -l`, `crontab -`).
import Basics
import Foundation

/// Text edits of a crontab's vidact blocks.
public enum CrontabBlock {
    static let beginPrefix = "# BEGIN vidact "
    static let endPrefix = "# END vidact "

    /// The block for `schedule`, ending with a newline.
    public static func block(for schedule: Schedule) -> String {
        let command = Shell.quote(schedule.wrapperPath).replacingOccurrences(of: "%", with: "\\%")
        return """
            \(beginPrefix)\(schedule.name) (managed by vidact schedule; do not edit)
            \(schedule.time.minute) \(schedule.time.hour) * * * \(command)
            \(endPrefix)\(schedule.name)

            """
    }

    /// `table` with the block named `name` replaced by `block` (appended when absent).
    public static func install(_ block: String, name: String, in table: String) throws -> String {
        var lines = splitLines(table)
        let newLines = splitLines(block)
        if let range = try find(name, in: lines) {
            lines.replaceSubrange(range, with: newLines)
        } else {
            if let last = lines.indices.last, !lines[last].hasSuffix("\n") { lines[last] += "\n" }
            lines += newLines
        }
        return lines.joined()
    }

    /// `table` without the block named `name` (unchanged when there is none).
    public static func remove(name: String, from table: String) throws -> String {
        var lines = splitLines(table)
        if let range = try find(name, in: lines) { lines.removeSubrange(range) }
        return lines.joined()
    }

    /// The names of the vidact blocks in `table`, in order.
    public static func names(in table: String) -> [String] {
        splitLines(table).compactMap { line in
            let text = line.trimmingCharacters(in: .newlines)
            guard text.hasPrefix(beginPrefix) else { return nil }
            return text.dropFirst(beginPrefix.count).split(separator: " ").first.map(String.init)
        }
    }

    /// Lines with their terminators, so joining them gives back the exact text.
    static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" || character == "\r\n" {
                lines.append(current)
                current = ""
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The line range of the block named `name`; throws when it begins but never ends.
    static func find(_ name: String, in lines: [String]) throws -> Range<Int>? {
        let begin = beginPrefix + name
        let end = endPrefix + name
        func matches(_ line: String, _ marker: String) -> Bool {
            let text = line.trimmingCharacters(in: .newlines)
            return text == marker || text.hasPrefix(marker + " ")
        }
        guard let first = lines.firstIndex(where: { matches($0, begin) }) else { return nil }
        guard let last = lines[first...].firstIndex(where: { matches($0, end) }) else {
            throw ScheduleError(
                .crontab, "crontab",
                "the block '\(begin)' has no '\(end)' line; fix the crontab with `crontab -e`, then run vidact again")
        }
        return first..<(last + 1)
    }
}
