// Install, list and remove through `Scheduler` with a temporary config folder, a temporary unit
// folder, a stand-in `crontab` and a stand-in `systemctl`: the registry, the files each backend
// writes, reinstalling (update in place, switching backend), the commands printed when systemctl
// fails, the next run time and the last run read back, and removal leaving other crontab lines
// and the logs alone.
import Foundation
import TestSupport
import Testing

@testable import Scheduling

struct SchedulerTests {
    struct Setup {
        var dir: String
        var scheduler: Scheduler
        var table: String

        init(systemctlStatus: Int32 = 0) throws {
            dir = try ScheduleTestSupport.temporaryDirectory()
            let fake = try ScheduleTestSupport.fakeCrontab(in: dir)
            table = fake.table
            try ScheduleTestSupport.script(
                dir + "/systemctl", "echo \"$*\" >> '\(dir)/systemctl-calls'; exit \(systemctlStatus)")
            scheduler = Scheduler(
                environment: .init(variables: [
                    "HOME": dir + "/home", "VIDACT_CONFIG_HOME": dir + "/config", "VIDACT_CRONTAB": fake.command,
                    "VIDACT_SYSTEMCTL": dir + "/systemctl",
                ]))
        }

        func schedule(_ backend: Schedule.Backend) -> Schedule {
            ScheduleTestSupport.schedule(workdir: dir + "/work", backend: backend)
        }
    }

    @Test func cronInstallUpdateRemove() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        let others = "MAILTO=\"\"\n0 * * * * /bin/hourly\n"
        try others.write(toFile: setup.table, atomically: true, encoding: .utf8)
        var schedule = setup.schedule(.cron)
        _ = try setup.scheduler.install(schedule)
        schedule.time = DailyTime(hour: 4, minute: 0)!
        _ = try setup.scheduler.install(schedule)
        #expect(ScheduleTestSupport.read(setup.table) == others + CrontabBlock.block(for: schedule))
        #expect(FileManager.default.isExecutableFile(atPath: schedule.wrapperPath))
        let registry = try setup.scheduler.environment.registry.load()
        #expect(registry == [schedule])
        #expect(setup.scheduler.environment.registry.path == setup.dir + "/config/schedules.json")

        let outcome = try setup.scheduler.remove(name: "nightly")
        #expect(outcome.files.contains(schedule.wrapperPath))
        #expect(ScheduleTestSupport.read(setup.table) == others)
        #expect(try setup.scheduler.environment.registry.load().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: schedule.wrapperPath))
        #expect(throws: ScheduleError.self) { try setup.scheduler.remove(name: "nightly") }
    }

    @Test func systemdInstallEnablesAndRemoveDisables() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        let outcome = try setup.scheduler.install(setup.schedule(.systemd))
        let units = setup.dir + "/home/.config/systemd/user"
        #expect(outcome.files.contains(units + "/vidact-nightly.service"))
        #expect(FileManager.default.fileExists(atPath: units + "/vidact-nightly.timer"))
        #expect(outcome.todo.isEmpty && outcome.warnings.isEmpty)
        #expect(
            ScheduleTestSupport.read(setup.dir + "/systemctl-calls")
                == "--user daemon-reload\n--user enable --now vidact-nightly.timer\n")
        #expect(try setup.scheduler.environment.registry.load().first?.unitDirectory == units)

        _ = try setup.scheduler.remove(name: "nightly")
        #expect(!FileManager.default.fileExists(atPath: units + "/vidact-nightly.timer"))
        #expect(!FileManager.default.fileExists(atPath: units + "/vidact-nightly.service"))
        #expect(
            ScheduleTestSupport.read(setup.dir + "/systemctl-calls").hasSuffix(
                "--user disable --now vidact-nightly.timer\n--user daemon-reload\n"))
    }

    @Test func failingSystemctlLeavesCommandsToRun() throws {
        let setup = try Setup(systemctlStatus: 1)
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        let outcome = try setup.scheduler.install(setup.schedule(.systemd))
        #expect(outcome.ran.isEmpty)
        #expect(outcome.todo.count == 2 && outcome.todo[1].hasSuffix("'enable' '--now' 'vidact-nightly.timer'"))
        #expect(outcome.warnings.count == 1)
        let skipped = try setup.scheduler.install(setup.schedule(.systemd), enable: false)
        #expect(skipped.todo.count == 2 && skipped.warnings.isEmpty)
    }

    @Test func switchingBackendRemovesTheOldOne() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        _ = try setup.scheduler.install(setup.schedule(.cron), enable: false)
        #expect(CrontabBlock.names(in: ScheduleTestSupport.read(setup.table)) == ["nightly"])
        _ = try setup.scheduler.install(setup.schedule(.systemd), enable: false)
        #expect(CrontabBlock.names(in: ScheduleTestSupport.read(setup.table)).isEmpty)
        #expect(try setup.scheduler.environment.registry.load().map(\.backend) == [.systemd])
        #expect(FileManager.default.isExecutableFile(atPath: setup.schedule(.systemd).wrapperPath))
    }

    @Test func listShowsNextAndLastRun() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        let schedule = setup.schedule(.cron)
        _ = try setup.scheduler.install(schedule)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let now = calendar.date(from: DateComponents(year: 2026, month: 3, day: 4, hour: 2, minute: 30))!
        let listed = try setup.scheduler.list(now: now)
        #expect(listed.count == 1 && listed[0].installed == true && listed[0].lastRun == nil)
        let next = calendar.dateComponents([.day, .hour, .minute], from: listed[0].nextRun)
        #expect(next.day == 5 && next.hour == 2 && next.minute == 30)

        let record =
            "format=vidact-schedule-last\nversion=1\nexit=1\noutcome=some-items-failed\nstart=a\nend=b\nlog=/l\n"
        try record.write(toFile: schedule.lastRunPath, atomically: true, encoding: .utf8)
        try "".write(toFile: setup.table, atomically: true, encoding: .utf8)
        let again = try setup.scheduler.list(now: now)
        #expect(again[0].lastRun == LastRun(exit: 1, outcome: "some-items-failed", start: "a", end: "b", log: "/l"))
        #expect(again[0].installed == false)
    }

    @Test func dailyTimeParsing() {
        #expect(DailyTime(parsing: "00:00") == DailyTime(hour: 0, minute: 0))
        #expect(DailyTime(parsing: "23:59")?.description == "23:59")
        for bad in ["24:00", "12:60", "7:30", "07:5", "0730", "", "ab:cd", "07:30:00", "-1:30"] {
            #expect(DailyTime(parsing: bad) == nil, "\(bad)")
        }
        #expect(Schedule.isValidName("night_1-a") && !Schedule.isValidName("a b") && !Schedule.isValidName(""))
        #expect(Schedule.defaultName(pipeline: "/p/my nightly.v2.yaml") == "my-nightly-v2")
    }
}
