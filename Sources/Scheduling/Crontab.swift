// The user's crontab, read with `crontab -l` and written with `crontab -` (the `crontab` program
// is replaceable, so tests use a stand-in that keeps the table in a temporary file). "No crontab
// for <user>" reads as an empty table. vidact edits only its own blocks (`CrontabBlock`).
import Foundation

/// Reading and writing a crontab through the `crontab` command.
public struct Crontab: Sendable {
    public var command: ExternalCommand

    public init(command: ExternalCommand = ExternalCommand("crontab")) { self.command = command }

    /// The current table ("" when the user has none).
    public func read() throws -> String {
        let result = command.run(["-l"])
        if result.status == 0 { return result.stdout }
        if result.stderr.lowercased().contains("no crontab") { return "" }
        throw ScheduleError(
            .crontab, command.line(["-l"]),
            "failed (status \(result.status)): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)); "
                + "install cron (Debian: apt-get install cron) or use --backend systemd")
    }

    /// Replaces the table with `table`.
    public func write(_ table: String) throws {
        let result = command.run(["-"], input: table)
        guard result.status == 0 else {
            throw ScheduleError(
                .crontab, command.line(["-"]),
                "failed (status \(result.status)): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// Installs (or updates in place) the block of `schedule`.
    public func install(_ schedule: Schedule) throws {
        let table = try read()
        let updated = try CrontabBlock.install(CrontabBlock.block(for: schedule), name: schedule.name, in: table)
        if updated != table { try write(updated) }
    }

    /// Removes the block named `name`; true when there was one.
    @discardableResult
    public func remove(name: String) throws -> Bool {
        let table = try read()
        let updated = try CrontabBlock.remove(name: name, from: table)
        guard updated != table else { return false }
        try write(updated)
        return true
    }
}
