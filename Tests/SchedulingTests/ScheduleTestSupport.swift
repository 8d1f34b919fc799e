// Shared pieces of the scheduling tests: temporary folders, executable stand-in scripts (for
// `crontab`, `vidact`, `curl`, `systemctl`), and a schedule pointing into a temporary workdir. No
// test touches the real crontab, systemd or config folder.
import Foundation
import TestSupport

@testable import Scheduling

enum ScheduleTestSupport {
    static func temporaryDirectory() throws -> String { try TemporaryDirectory.make("sched") }

    /// Writes an executable bash script.
    static func script(_ path: String, _ body: String) throws {
        try executable("#!/bin/bash\n" + body + "\n", to: path)
    }

    /// Writes an executable file that a test runs next. Another process copies it into place: a
    /// file this (multi-threaded) test process wrote itself can fail to execute with "Text file
    /// busy" (exit 126), when a child forked by a concurrent test still holds the writing
    /// descriptor between its fork and exec; `install` writes it in a process that has exited.
    static func executable(_ text: String, to path: String) throws {
        let source = path + ".src-\(UUID().uuidString)"
        try ScheduleFiles.write(text, to: source, mode: 0o644)
        defer { unlink(source) }
        let result = try runProcess("/usr/bin/install", ["-m", "755", source, path])
        guard result.status == 0 else {
            throw ScheduleError(.io, path, "install -m 755 failed: \(result.stderr)")
        }
    }

    /// A stand-in `crontab` keeping the table in `<dir>/table` ("no crontab" until first written).
    static func fakeCrontab(in dir: String) throws -> (command: String, table: String) {
        let table = dir + "/table"
        let command = dir + "/crontab"
        try script(
            command,
            """
            case "$1" in
              -l) if [ -f '\(table)' ]; then cat '\(table)'; else echo "no crontab for tester" >&2; exit 1; fi ;;
              -) cat > '\(table)' ;;
              *) exit 2 ;;
            esac
            """)
        return (command, table)
    }

    static func schedule(
        workdir: String, backend: Schedule.Backend = .cron, name: String = "nightly", vidact: String = "/usr/bin/true"
    ) -> Schedule {
        Schedule(
            name: name, backend: backend, pipeline: workdir + "/../p.yaml", workdir: workdir,
            time: time(hour: 2, minute: 30), vidact: vidact)
    }

    /// A valid daily time (the tests only use valid ones).
    static func time(hour: Int, minute: Int) -> DailyTime {
        guard let time = DailyTime(hour: hour, minute: minute) else { fatalError("no time \(hour):\(minute)") }
        return time
    }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}
