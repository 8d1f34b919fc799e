// `vidact runs [--json]` lists the workdir's runs, newest first: id, start, duration, status,
// shard, item counts, host. `vidact runs show RUN` (an id or a unique prefix of one) says what ran,
// how long each item took, and what failed and why.
import ArgumentParser
import Catalog
import Foundation

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Run history: list runs, or show one run's items and failures.",
        subcommands: [RunsListCommand.self, RunsShowCommand.self],
        defaultSubcommand: RunsListCommand.self
    )

    /// ISO 8601 in UTC with milliseconds, as the catalog stores times.
    static func text(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    static func date(_ date: Date?) -> Any {
        date.map(text) ?? NSNull()
    }

    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        if seconds < 3600 { return String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60) }
        return String(format: "%dh%02dm", Int(seconds) / 3600, Int(seconds) % 3600 / 60)
    }

    /// The JSON object of a run (`runs --json`, `runs show --json`).
    static func object(_ run: RunRecord) -> [String: Any] {
        [
            "id": run.id, "status": run.status.rawValue, "started_at": date(run.startedAt),
            "ended_at": date(run.endedAt), "seconds": run.seconds(), "host": run.host, "pid": Int(run.pid),
            "shard": run.shard ?? NSNull(), "config_hash": run.configHash, "done": run.counts.done,
            "skipped": run.counts.skipped, "failed": run.counts.failed, "interrupted": run.counts.interrupted,
        ]
    }
}

struct RunsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List runs, newest first.")

    @OptionGroup var workdir: WorkdirOption

    @Flag(help: "One JSON object per run.")
    var json = false

    @Option(help: "Show at most this many runs.")
    var limit: Int?

    mutating func run() throws {
        let catalog = try CatalogCommand.openExisting(workdir: workdir.workdir)
        let runs = try catalog.runs(limit: limit)
        if json {
            for run in runs { print(JSONLine.encode(RunsCommand.object(run))) }
            return
        }
        if runs.isEmpty {
            print("no runs in \(catalog.path)")
            return
        }
        print("RUN       STARTED                   DURATION  STATUS       SHARD  DONE  SKIPPED  FAILED  HOST")
        for run in runs {
            let started = RunsCommand.text(run.startedAt)
            print(
                [
                    String(run.id.prefix(8)), started.padding(toLength: 24, withPad: " ", startingAt: 0),
                    RunsCommand.duration(run.seconds()).padding(toLength: 8, withPad: " ", startingAt: 0),
                    run.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0),
                    (run.shard ?? "-").padding(toLength: 5, withPad: " ", startingAt: 0),
                    String(format: "%4d  %7d  %6d", run.counts.done, run.counts.skipped, run.counts.failed),
                    run.host,
                ].joined(separator: "  "))
        }
    }
}

struct RunsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one run: what ran, how long, what failed and why.")

    @OptionGroup var workdir: WorkdirOption

    @Argument(help: "The run id, or a unique prefix of it (see `vidact runs`).")
    var runID: String

    @Flag(help: "One JSON object: the run with its items.")
    var json = false

    mutating func run() throws {
        let catalog = try CatalogCommand.openExisting(workdir: workdir.workdir)
        let detail = try catalog.runDetail(id: runID)
        if json {
            var object = RunsCommand.object(detail.run)
            object["config"] = detail.run.configJSON
            object["items"] = detail.items.map(Self.object)
            print(JSONLine.encode(object))
            return
        }
        let run = detail.run
        print("run \(run.id)  \(run.status.rawValue)")
        print("  started \(RunsCommand.text(run.startedAt))", terminator: "")
        print(run.endedAt.map { ", ended \(RunsCommand.text($0))" } ?? "", terminator: "")
        print(" (\(RunsCommand.duration(run.seconds())))")
        print("  host \(run.host) pid \(run.pid)\(run.shard.map { " shard \($0)" } ?? "")  config \(run.configHash)")
        print(
            "  items: \(run.counts.done) done, \(run.counts.skipped) skipped, \(run.counts.failed) failed, "
                + "\(run.counts.interrupted) interrupted")
        for item in detail.items {
            let frames = item.decodedFrames.map { " \($0)/\(item.headerFrames.map(String.init) ?? "?") frames" } ?? ""
            print(
                "  \(item.step.rawValue) \(item.status.rawValue) \(RunsCommand.duration(item.seconds))\(frames)  "
                    + item.unit)
        }
        let failures = detail.items.filter { $0.status == .failed || $0.status == .interrupted }
        if !failures.isEmpty { print("failures:") }
        for item in failures {
            print("  \(item.unit): [\(item.errorKind ?? item.status.rawValue)] \(item.errorMessage ?? "no message")")
        }
    }

    static func object(_ item: RunItemRecord) -> [String: Any] {
        [
            "step": item.step.rawValue, "unit": item.unit, "status": item.status.rawValue,
            "error_kind": item.errorKind ?? NSNull(), "error_message": item.errorMessage ?? NSNull(),
            "started_at": RunsCommand.date(item.startedAt), "seconds": item.seconds,
            "decoded_frames": item.decodedFrames ?? NSNull(), "header_frames": item.headerFrames ?? NSNull(),
        ]
    }
}
