// What `vidact schedule list` shows for one schedule: the schedule, its next run (the daily time's
// next occurrence; a random delay may add up to `randomDelay` seconds), whether its timer or
// crontab block is still in place, and its last run as the wrapper recorded it in
// `<workdir>/schedule/<name>.last` (key=value lines; see `ScheduleWrapper`), with the latest run the
// workdir's catalog recorded (status and counts; the catalog is opened only when it exists).
import Catalog
import Foundation

/// A schedule and its state.
public struct ScheduleStatus: Sendable, Equatable {
    public var schedule: Schedule
    public var nextRun: Date
    /// False when the units or the crontab block are gone; nil when that could not be checked.
    public var installed: Bool?
    public var lastRun: LastRun?
    /// "completed: 12 done, 0 skipped, 1 failed (run 8F4BF630)" from the catalog, when there is one.
    public var catalogRun: String?

    /// The latest run in `<workdir>/catalog.sqlite`, summarised; nil without a catalog or run.
    static func latestCatalogRun(workdir: String) -> String? {
        let path = Catalog.path(workdir: workdir)
        guard FileManager.default.fileExists(atPath: path), let catalog = try? Catalog(path: path),
            let run = try? catalog.runs(limit: 1).first
        else { return nil }
        let c = run.counts
        return
            "\(run.status.rawValue): \(c.done) done, \(c.skipped) skipped, \(c.failed) failed (run \(run.id.prefix(8)))"
    }
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
