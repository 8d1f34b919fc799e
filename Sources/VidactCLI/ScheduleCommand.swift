// `vidact schedule install|list|remove`: nightly runs of a pipeline by a systemd timer or a cron
// line. Each subcommand validates its options and calls one `Scheduler` entry point; what the
// scheduled command does is described in Sources/Pipeline/ScheduleWrapper.swift.
import ArgumentParser
import Basics
import Foundation
import Pipeline
import Scheduling

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Run a pipeline every night (systemd timer or cron).",
        subcommands: [ScheduleInstallCommand.self, ScheduleListCommand.self, ScheduleRemoveCommand.self]
    )
}

extension Schedule.Backend: ExpressibleByArgument {}

struct ScheduleInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install", abstract: "Install (or update) the nightly run of a pipeline.",
        discussion: """
            The schedule runs <workdir>/schedule/<name>.sh, which runs `vidact run PIPELINE`, logs to \
            <workdir>/logs/, records the outcome in <workdir>/schedule/<name>.last and sends the notifications.
            """)

    @Argument(help: "The pipeline file.") var pipeline: String
    @Option(help: "Daily time, HH:MM (00:00–23:59, local time).") var daily: String
    @Option(help: "systemd (a timer; a missed night runs at boot) or cron (a crontab block).")
    var backend: Schedule.Backend = .systemd
    @Option(help: "Schedule name, [A-Za-z0-9_-]+ (default: the pipeline file's name).") var name: String?
    @Option(name: .customLong("random-delay"), help: "Start up to this many seconds after the time.")
    var randomDelay: Int = 0
    @Option(name: .customLong("on-failure"), help: "Shell command to run when a scheduled run fails.")
    var onFailure: String?
    @Option(help: "URL to POST the run's JSON summary to after each run.") var webhook: String?
    @Flag(help: "systemd: a system unit in /etc/systemd/system instead of a user unit.") var system = false
    @Option(name: .customLong("run-as"), help: "systemd --system: the user the service runs as (default: root).")
    var runAs: String?
    @Flag(name: .customLong("no-enable"), help: "systemd: write the units but do not run systemctl.")
    var noEnable = false
    @Option(name: .customLong("unit-dir"), help: .hidden) var unitDirectory: String?

    func validate() throws {
        guard DailyTime(parsing: daily) != nil else {
            throw ValidationError("--daily '\(daily)' is not a time HH:MM between 00:00 and 23:59")
        }
        if let name, !Schedule.isValidName(name) {
            throw ValidationError("--name '\(name)' may only hold letters, digits, '_' and '-'")
        }
        guard randomDelay >= 0 else { throw ValidationError("--random-delay must be 0 or more seconds") }
        if backend == .cron && (system || runAs != nil || unitDirectory != nil) {
            throw ValidationError("--system, --run-as and --unit-dir apply to --backend systemd only")
        }
        if runAs != nil && !system { throw ValidationError("--run-as needs --system") }
    }

    func run() throws {
        let path = absolute(pipeline)
        let config: PipelineConfig
        do {
            config = try PipelineConfig.load(path: path)
        } catch let error as PipelineConfigError {
            throw ValidationError("\(error)")
        }
        guard let time = DailyTime(parsing: daily) else {
            throw ValidationError("--daily '\(daily)' is not a time HH:MM between 00:00 and 23:59")
        }
        let schedule = Schedule(
            name: name ?? Schedule.defaultName(pipeline: path), backend: backend, pipeline: path,
            workdir: config.workdir, time: time, randomDelay: randomDelay,
            vidact: Self.executablePath(), onFailure: onFailure, webhook: webhook, system: system, runAs: runAs,
            unitDirectory: unitDirectory.map(absolute))
        let outcome = try scheduling { try Scheduler().install(schedule, enable: !noEnable) }
        report(outcome)
        let next = schedule.time.next(after: Date())
        print("installed '\(schedule.name)' (\(backend.rawValue)): daily at \(schedule.time), next \(format(next))")
    }

    /// The running vidact binary, so the schedule keeps using this build.
    static func executablePath() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return absolute(CommandLine.arguments[0])
    }
}

struct ScheduleListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show the schedules with their next run and last run's outcome.")

    func run() throws {
        let statuses = try scheduling { try Scheduler().list() }
        if statuses.isEmpty { print("no schedules (vidact schedule install PIPELINE --daily HH:MM adds one)") }
        for status in statuses {
            let s = status.schedule
            let delay = s.randomDelay > 0 ? " (+ up to \(s.randomDelay) s)" : ""
            let last =
                (status.lastRun.map { "exit \($0.exit) (\($0.outcome)) at \($0.end), log \($0.log)" } ?? "never run")
                + (status.catalogRun.map { "; catalog: \($0)" } ?? "")
            let missing = status.installed == false ? "  [NOT INSTALLED: reinstall or remove it]" : ""
            print("\(s.name)  \(s.backend.rawValue)\(s.system ? " (system)" : "")  daily \(s.time)\(missing)")
            print("  next:     \(format(status.nextRun))\(delay)")
            print("  last:     \(last)")
            print("  pipeline: \(s.pipeline)")
            print("  workdir:  \(s.workdir)")
        }
    }
}

struct ScheduleRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a schedule (its logs and last-run record stay).")

    @Argument(help: "The schedule's name (vidact schedule list).") var name: String
    @Flag(name: .customLong("no-disable"), help: "systemd: remove the units but do not run systemctl.")
    var noDisable = false

    func run() throws {
        let outcome = try scheduling { try Scheduler().remove(name: name, disable: !noDisable) }
        report(outcome)
        print("removed '\(name)'")
    }
}

/// Library failures as vidact errors (exit status 1).
private func scheduling<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ScheduleError {
        throw CLIError("\(error)")
    }
}

private func report(_ outcome: Scheduler.Outcome) {
    for file in outcome.files { print("  \(file)") }
    for line in outcome.ran { print("  ran: \(line)") }
    for warning in outcome.warnings { printError("vidact: warning: \(warning)") }
    if !outcome.todo.isEmpty {
        print("run these to finish:")
        for line in outcome.todo { print("  \(line)") }
    }
}

private func absolute(_ path: String) -> String {
    let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    return url.standardizedFileURL.path
}

private func format(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
    return formatter.string(from: date)
}
