// The systemd unit pair: both files pass `systemd-analyze verify` (exit 0 and no complaint naming
// either file) with ExecStart pointing at a real wrapper script, the timer has the calendar,
// persistence, delay and unit keys, and paths with spaces and `%` are escaped the way systemd reads
// them.
import Foundation
import TestSupport
import Testing

@testable import Scheduling

struct SystemdUnitsTests {
    @Test func unitsPassSystemdAnalyzeVerify() throws {
        let dir = try ScheduleTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var schedule = ScheduleTestSupport.schedule(workdir: dir + "/work 100%", backend: .systemd)
        schedule.randomDelay = 900
        try ScheduleTestSupport.executable(ScheduleWrapper.script(for: schedule), to: schedule.wrapperPath)
        let paths = SystemdUnits.paths(for: schedule, directory: dir + "/units")
        try ScheduleFiles.write(SystemdUnits.service(for: schedule), to: paths.service, mode: 0o644)
        try ScheduleFiles.write(SystemdUnits.timer(for: schedule), to: paths.timer, mode: 0o644)
        let result = try runProcess("systemd-analyze", ["verify", paths.service, paths.timer])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let complaints = (result.stdout + result.stderr).split(separator: "\n").filter {
            $0.contains("vidact-nightly") || $0.contains("work 100")
        }
        #expect(complaints.isEmpty, "\(complaints)")
    }

    @Test func verifyCatchesABrokenUnit() throws {
        // The oracle must be able to say no: a script with a quote in its name as the executable of
        // ExecStart (how vidact wrote it before: systemd refuses it however it is escaped), and a
        // service whose executable does not exist.
        let dir = try ScheduleTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let schedule = ScheduleTestSupport.schedule(workdir: dir + "/q'uote", backend: .systemd)
        try ScheduleTestSupport.executable(ScheduleWrapper.script(for: schedule), to: dir + "/it's.sh")
        for execStart in [SystemdUnits.quoteArgument(dir + "/it's.sh"), dir + "/missing.sh"] {
            let path = dir + "/vidact-nightly.service"
            let unit = SystemdUnits.service(for: schedule).replacingOccurrences(
                of: "ExecStart=/bin/bash " + SystemdUnits.quoteArgument(schedule.wrapperPath),
                with: "ExecStart=" + execStart)
            #expect(unit.contains("ExecStart=" + execStart))
            try ScheduleFiles.write(unit, to: path, mode: 0o644)
            let result = try runProcess("systemd-analyze", ["verify", path])
            #expect(result.status != 0, "\(execStart): \(result.stderr)")
        }
    }

    @Test func timerKeys() {
        var schedule = ScheduleTestSupport.schedule(workdir: "/w", backend: .systemd)
        schedule.time = DailyTime(hour: 7, minute: 5)!
        schedule.randomDelay = 600
        let lines = Set(SystemdUnits.timer(for: schedule).split(separator: "\n").map(String.init))
        for line in [
            "OnCalendar=*-*-* 07:05:00", "Persistent=true", "RandomizedDelaySec=600", "Unit=vidact-nightly.service",
            "WantedBy=timers.target",
        ] {
            #expect(lines.contains(line), "missing \(line)")
        }
    }

    @Test func execStartQuotingAndSystemUser() {
        #expect(SystemdUnits.quoteArgument("/a/b.sh") == "\"/a/b.sh\"")
        #expect(SystemdUnits.quoteArgument("/a/it's \\ \"x\".sh") == #""/a/it's \\ \"x\".sh""#)
        #expect(SystemdUnits.quoteArgument("/a b/100%/$x.sh") == "\"/a b/100%%/$$x.sh\"")
        var schedule = ScheduleTestSupport.schedule(workdir: "/w", backend: .systemd)
        #expect(!SystemdUnits.service(for: schedule).contains("User="))
        schedule.system = true
        schedule.runAs = "media"
        #expect(SystemdUnits.service(for: schedule).contains("\nUser=media\n"))
        #expect(SystemdUnits.enableCommands(for: schedule)[1] == ["enable", "--now", "vidact-nightly.timer"])
        schedule.system = false
        #expect(SystemdUnits.enableCommands(for: schedule)[0] == ["--user", "daemon-reload"])
    }
}
