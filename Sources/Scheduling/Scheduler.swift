// `vidact schedule install|list|remove`: the one entry point per subcommand. Install writes the
// wrapper script, then the systemd units (and enables the timer with systemctl) or the crontab
// block, then the registry; reinstalling a name updates it in place (and removes what the old
// backend installed when the backend changed). When systemctl is missing or fails, the commands are
// returned for the person to run instead of failing. Remove undoes all of it but keeps the logs and
// the last-run record.
import Foundation

/// Installs, lists and removes schedules.
public struct Scheduler: Sendable {
    /// Where and how: the registry, the crontab command, systemctl, the environment.
    public struct Environment: Sendable {
        public var registry: ScheduleRegistry
        public var crontab: Crontab
        public var systemctl: ExternalCommand
        public var variables: [String: String]

        /// The real environment; `VIDACT_CRONTAB` and `VIDACT_SYSTEMCTL` replace the commands.
        public init(variables: [String: String] = ProcessInfo.processInfo.environment) {
            self.variables = variables
            registry = ScheduleRegistry(environment: variables)
            crontab = Crontab(command: ExternalCommand(variables["VIDACT_CRONTAB"] ?? "crontab"))
            systemctl = ExternalCommand(variables["VIDACT_SYSTEMCTL"] ?? "systemctl")
        }
    }

    /// What install or remove did, for the person.
    public struct Outcome: Sendable, Equatable {
        /// Files written or removed.
        public var files: [String] = []
        /// systemctl commands that ran.
        public var ran: [String] = []
        /// Commands the person still has to run (systemctl missing, failed, or not asked to run).
        public var todo: [String] = []
        /// Problems that did not stop the operation.
        public var warnings: [String] = []
    }

    public var environment: Environment

    public init(environment: Environment = Environment()) { self.environment = environment }

    /// Installs (or updates) `schedule`; `enable`: run systemctl to load and start the timer.
    public func install(_ schedule: Schedule, enable: Bool = true) throws -> Outcome {
        var schedule = schedule
        if schedule.backend == .systemd && schedule.unitDirectory == nil {
            schedule.unitDirectory = SystemdUnits.defaultDirectory(
                system: schedule.system, environment: environment.variables)
        }
        var outcome = Outcome()
        if let old = try environment.registry.schedule(named: schedule.name),
            old.backend != schedule.backend || old.unitDirectory != schedule.unitDirectory
                || old.workdir != schedule.workdir
        {
            let removed = try uninstall(old, disable: enable, keepWrapper: old.workdir == schedule.workdir)
            outcome.files += removed.files
            outcome.ran += removed.ran
            outcome.todo += removed.todo
            outcome.warnings += removed.warnings
        }
        try ScheduleFiles.write(ScheduleWrapper.script(for: schedule), to: schedule.wrapperPath, mode: 0o755)
        outcome.files.append(schedule.wrapperPath)
        switch schedule.backend {
        case .systemd:
            let paths = SystemdUnits.paths(for: schedule, directory: schedule.unitDirectory ?? "")
            try ScheduleFiles.write(SystemdUnits.service(for: schedule), to: paths.service, mode: 0o644)
            try ScheduleFiles.write(SystemdUnits.timer(for: schedule), to: paths.timer, mode: 0o644)
            outcome.files += [paths.service, paths.timer]
            systemctl(SystemdUnits.enableCommands(for: schedule), run: enable, into: &outcome)
        case .cron:
            try environment.crontab.install(schedule)
            outcome.files.append("crontab block '\(CrontabBlock.beginPrefix)\(schedule.name)'")
        }
        try environment.registry.save(schedule)
        return outcome
    }

    /// Removes the schedule named `name`: timer or crontab block, units, wrapper script, registry
    /// entry. Logs and the last-run record stay.
    public func remove(name: String, disable: Bool = true) throws -> Outcome {
        guard let schedule = try environment.registry.schedule(named: name) else {
            throw ScheduleError(
                .unknownSchedule, environment.registry.path,
                "no schedule named '\(name)'; `vidact schedule list` shows the installed ones")
        }
        let outcome = try uninstall(schedule, disable: disable, keepWrapper: false)
        try environment.registry.remove(name: name)
        return outcome
    }

    /// Every registered schedule with its next run and last run, as of `now`.
    public func list(now: Date = Date()) throws -> [ScheduleStatus] {
        let schedules = try environment.registry.load()
        var cronNames: Set<String>?
        if schedules.contains(where: { $0.backend == .cron }) {
            cronNames = (try? environment.crontab.read()).map { Set(CrontabBlock.names(in: $0)) }
        }
        return schedules.map { schedule in
            let installed: Bool?
            switch schedule.backend {
            case .systemd:
                let directory = schedule.unitDirectory ?? ""
                let paths = SystemdUnits.paths(for: schedule, directory: directory)
                installed =
                    FileManager.default.fileExists(atPath: paths.service)
                    && FileManager.default.fileExists(atPath: paths.timer)
            case .cron:
                installed = cronNames.map { $0.contains(schedule.name) }
            }
            return ScheduleStatus(
                schedule: schedule, nextRun: schedule.time.next(after: now), installed: installed,
                lastRun: LastRun.load(path: schedule.lastRunPath),
                catalogRun: ScheduleStatus.latestCatalogRun(workdir: schedule.workdir))
        }
    }

    private func uninstall(_ schedule: Schedule, disable: Bool, keepWrapper: Bool) throws -> Outcome {
        var outcome = Outcome()
        switch schedule.backend {
        case .systemd:
            let directory =
                schedule.unitDirectory
                ?? SystemdUnits.defaultDirectory(system: schedule.system, environment: environment.variables)
            let paths = SystemdUnits.paths(for: schedule, directory: directory)
            let commands = SystemdUnits.disableCommands(for: schedule)
            systemctl(Array(commands.prefix(1)), run: disable, into: &outcome)
            for path in [paths.timer, paths.service] where try ScheduleFiles.remove(path) {
                outcome.files.append(path)
            }
            systemctl(Array(commands.dropFirst()), run: disable, into: &outcome)
        case .cron:
            if try environment.crontab.remove(name: schedule.name) {
                outcome.files.append("crontab block '\(CrontabBlock.beginPrefix)\(schedule.name)'")
            }
        }
        if !keepWrapper, try ScheduleFiles.remove(schedule.wrapperPath) { outcome.files.append(schedule.wrapperPath) }
        return outcome
    }

    /// Runs each systemctl command in turn; once one fails (or `run` is false), the rest become todo.
    private func systemctl(_ commands: [[String]], run: Bool, into outcome: inout Outcome) {
        var failed = !run
        for arguments in commands {
            let line = environment.systemctl.line(arguments)
            if failed {
                outcome.todo.append(line)
                continue
            }
            let result = environment.systemctl.run(arguments)
            if result.status == 0 {
                outcome.ran.append(line)
            } else {
                failed = true
                outcome.todo.append(line)
                let reason = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                outcome.warnings.append("`\(line)` failed (status \(result.status)): \(reason)")
            }
        }
    }
}
