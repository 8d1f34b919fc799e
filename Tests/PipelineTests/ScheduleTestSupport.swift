// Shared pieces of the scheduling tests: temporary folders, executable stand-in scripts (for
// `crontab`, `vidact`, `curl`, `systemctl`), and a schedule pointing into a temporary workdir. No
// test touches the real crontab, systemd or config folder.
import Foundation
import TestSupport

@testable import Pipeline

enum ScheduleTestSupport {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vidact-sched-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes an executable bash script.
    static func script(_ path: String, _ body: String) throws {
        try ScheduleFiles.write("#!/bin/bash\n" + body + "\n", to: path, mode: 0o755)
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
            time: DailyTime(hour: 2, minute: 30)!, vidact: vidact)
    }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}
