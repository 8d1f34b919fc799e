// What `vidact schedule list` shows for one schedule: the schedule, its next run (the daily time's
// next occurrence; a random delay may add up to `randomDelay` seconds), whether its timer or
// crontab block is still in place, and its last run as the wrapper recorded it in
// `<workdir>/schedule/<name>.last` (key=value lines; see `ScheduleWrapper`). Reading the run's own
// record from the catalog (`<workdir>/catalog.sqlite`) is left to the catalog integration.
import Foundation

/// A schedule and its state.
public struct ScheduleStatus: Sendable, Equatable {
    public var schedule: Schedule
    public var nextRun: Date
    /// False when the units or the crontab block are gone; nil when that could not be checked.
    public var installed: Bool?
    public var lastRun: LastRun?
}

/// The outcome of a schedule's last run.
public struct LastRun: Sendable, Equatable {
    /// The runner's exit status (3: skipped, the workdir was locked).
    public var exit: Int
    /// `success`, `some-items-failed`, `configuration-error`, `skipped-locked`, `killed` or `error`.
    public var outcome: String
    public var start: String
    public var end: String
    public var log: String

    /// Parses a `.last` file; nil when it is missing or not one.
    public static func load(path: String) -> LastRun? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard values["format"] == "vidact-schedule-last", let exit = values["exit"].flatMap({ Int($0) }) else {
            return nil
        }
        return LastRun(
            exit: exit, outcome: values["outcome"] ?? "", start: values["start"] ?? "", end: values["end"] ?? "",
            log: values["log"] ?? "")
    }
}
