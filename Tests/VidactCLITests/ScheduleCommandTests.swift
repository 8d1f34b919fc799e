// `vidact schedule` end to end through the binary, with a temporary config folder and a stand-in
// `crontab` (never the real user's): option validation (exit 2), install with cron and systemd
// (--unit-dir, --no-enable), list, and remove.
import Foundation
import TestSupport
import Testing

struct ScheduleCommandTests {
    struct Setup {
        let dir: String
        var table: String { dir + "/table" }

        init() throws {
            dir =
                try TemporaryDirectory.make("sched-cli")
            let crontab = """
                #!/bin/bash
                case "$1" in
                  -l) if [ -f '\(dir)/table' ]; then cat '\(dir)/table'; else echo "no crontab for tester" >&2; exit 1; fi ;;
                  -) cat > '\(dir)/table' ;;
                esac

                """
            // Copied into place by another process: an executable written by this multi-threaded
            // process can fail with "Text file busy" while a concurrent test's child, between fork
            // and exec, still holds the writing descriptor.
            try crontab.write(toFile: dir + "/crontab.src", atomically: true, encoding: .utf8)
            let installed = try runProcess("/usr/bin/install", ["-m", "755", dir + "/crontab.src", dir + "/crontab"])
            #expect(installed.status == 0, "install: \(installed.stderr)")
            let pipeline = "version: 1\nworkdir: work\ndataset:\n  layout: unlabelled\n  root: videos\n"
            try pipeline.write(toFile: dir + "/night.yaml", atomically: true, encoding: .utf8)
        }

        func vidact(_ arguments: String...) throws -> ProcessResult { try vidact(arguments) }

        func vidact(_ arguments: [String]) throws -> ProcessResult {
            try runProcess(
                "/usr/bin/env",
                [
                    "VIDACT_CONFIG_HOME=\(dir)/config", "VIDACT_CRONTAB=\(dir)/crontab",
                    "VIDACT_SYSTEMCTL=/nonexistent/systemctl", CLITests.binary,
                ] + arguments)
        }
    }

    @Test func rejectsBadTimesAndNames() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        for arguments in [["--daily", "24:00"], ["--daily", "2:30"], ["--daily", "02:30", "--name", "a b"]] {
            let result = try setup.vidact(
                ["schedule", "install", setup.dir + "/night.yaml", "--backend", "cron"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: setup.table))
    }

    @Test func cronInstallListRemove() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        try "0 * * * * /bin/hourly\n".write(toFile: setup.table, atomically: true, encoding: .utf8)
        let install = try setup.vidact(
            "schedule", "install", setup.dir + "/night.yaml", "--daily", "01:15", "--backend", "cron")
        #expect(install.status == 0, "\(install.stderr)")
        let table = try String(contentsOfFile: setup.table, encoding: .utf8)
        #expect(table.hasPrefix("0 * * * * /bin/hourly\n# BEGIN vidact night "))
        #expect(table.contains("\n15 1 * * * '\(setup.dir)/work/schedule/night.sh'\n"))
        let script = try String(contentsOfFile: setup.dir + "/work/schedule/night.sh", encoding: .utf8)
        #expect(script.contains("\nVIDACT='/") && script.contains("/vidact'\n"), "the absolute path of the binary")

        let list = try setup.vidact("schedule", "list")
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("night  cron  daily 01:15\n"), "\(list.stdout)")
        #expect(list.stdout.contains("last:     never run"))

        let remove = try setup.vidact("schedule", "remove", "night")
        #expect(remove.status == 0, "\(remove.stderr)")
        #expect(try String(contentsOfFile: setup.table, encoding: .utf8) == "0 * * * * /bin/hourly\n")
        #expect(try setup.vidact("schedule", "remove", "night").status == 1)
    }

    @Test func systemdInstallPrintsCommandsWhenSystemctlIsMissing() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        let result = try setup.vidact(
            "schedule", "install", setup.dir + "/night.yaml", "--daily", "03:00", "--unit-dir", setup.dir + "/units",
            "--random-delay", "300")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("run these to finish:"))
        #expect(result.stdout.contains("'--user' 'enable' '--now' 'vidact-night.timer'"))
        let timer = try String(contentsOfFile: setup.dir + "/units/vidact-night.timer", encoding: .utf8)
        #expect(timer.contains("OnCalendar=*-*-* 03:00:00\n") && timer.contains("RandomizedDelaySec=300\n"))
    }
}
