// The wrapper script end to end with a stand-in for vidact (a script that records its arguments,
// prints JSON log lines and exits with a chosen status) and a stand-in curl on PATH: the run's
// command line, the log, the `.last` record, the summary JSON, exit 3 as "skipped", the report only
// when `vidact report` exists (one file per run, copied to latest.html; a failing report is logged,
// never fatal), --on-failure and --webhook, and notification failures that never change the exit
// status. Whether a real second night does no work is the runner's incremental
// behaviour, tested with the runner; here the second run must repeat exactly the same call and
// report only its own events.
import Foundation
import TestSupport
import Testing

@testable import Scheduling

struct ScheduleWrapperTests {
    struct Setup {
        var dir: String
        var schedule: Schedule
        var calls: String { dir + "/calls" }
        var bin: String { dir + "/bin" }

        /// `status`: the stand-in's `run` exit status; `report`: whether `vidact report` exists;
        /// `reportStatus`: its exit status. A report that succeeds writes `reports/run<N>.html` (N
        /// counts the reports) and prints its path as `vidact report` does.
        init(status: Int32 = 0, report: Bool = false, reportStatus: Int32 = 0, curlStatus: Int32 = 0) throws {
            dir = try ScheduleTestSupport.temporaryDirectory()
            schedule = ScheduleTestSupport.schedule(workdir: dir + "/work", vidact: dir + "/vidact")
            let calls = dir + "/calls"
            let done = dir + "/done"
            let count = dir + "/report-count"
            try ScheduleTestSupport.script(
                dir + "/vidact",
                """
                echo "$PWD: $*" >> '\(calls)'
                if [ "$1" = report ]; then
                  \(report ? "" : "echo 'unknown subcommand' >&2; exit 64")
                  if [ "$2" = --help ]; then exit 0; fi
                  if [ \(reportStatus) -ne 0 ]; then echo 'report broke' >&2; exit \(reportStatus); fi
                  n=$(( $(cat '\(count)' 2>/dev/null || echo 0) + 1 )); echo $n > '\(count)'
                  echo "<html>run$n</html>" > "$PWD/reports/run$n.html"
                  echo "run run$n completed: 1 done"; echo "report $PWD/reports/run$n.html"; exit 0
                fi
                echo "plain line"
                if [ -f '\(done)' ]; then echo '{"event":"summary","new":0}'; else
                  echo '{"event":"failed","video":"a.mp4","reason":"notAVideo"}'; echo '{"event":"summary","new":1}'; touch '\(done)'; fi
                exit \(status)
                """)
            try ScheduleTestSupport.script(
                dir + "/bin/curl",
                "echo \"$*\" >> '\(dir)/curl-calls'; cat \"${7#@}\" > '\(dir)/posted'; exit \(curlStatus)")
            try ScheduleTestSupport.executable(ScheduleWrapper.script(for: schedule), to: schedule.wrapperPath)
        }

        func rewrite() throws {
            try ScheduleTestSupport.executable(ScheduleWrapper.script(for: schedule), to: schedule.wrapperPath)
        }

        func run() throws -> ProcessResult {
            let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            return try runProcess("/usr/bin/env", ["PATH=\(path)", schedule.wrapperPath])
        }

        func summary() throws -> [String: Any] {
            let data = try #require(FileManager.default.contents(atPath: schedule.summaryPath))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }

        var log: String {
            let logs = (try? FileManager.default.contentsOfDirectory(atPath: schedule.workdir + "/logs")) ?? []
            return logs.map { ScheduleTestSupport.read(schedule.workdir + "/logs/" + $0) }.joined()
        }
    }

    @Test func scriptIsValidBash() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        let check = try runProcess("bash", ["-n", setup.schedule.wrapperPath])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test func runsTwiceInARowTheSameWay() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        let first = try setup.run()
        #expect(first.status == 0, "\(first.stderr)")
        let firstSummary = try setup.summary()
        #expect((firstSummary["events"] as? [[String: Any]])?.count == 2)
        let second = try setup.run()
        #expect(second.status == 0, "\(second.stderr)")
        let w = setup.schedule.workdir
        let call = "\(w): run \(setup.schedule.pipeline) --log-format json"
        // Both runs: the same call from the workdir, and only the `report --help` probe besides.
        #expect(ScheduleTestSupport.read(setup.calls) == "\(call)\n\(w): report --help\n\(call)\n\(w): report --help\n")
        let summary = try setup.summary()
        #expect(summary["format"] as? String == "vidact-schedule-summary")
        #expect(summary["exit_status"] as? Int == 0 && summary["outcome"] as? String == "success")
        #expect(summary["failed"] as? Bool == false)
        #expect(summary["report"] is NSNull && summary["latest"] is NSNull)
        // The second summary holds only the second run's events.
        let events = try #require(summary["events"] as? [[String: Any]])
        #expect(events.count == 1 && events[0]["new"] as? Int == 0, "\(events)")
        let last = try #require(LastRun.load(path: setup.schedule.lastRunPath))
        #expect(last.exit == 0 && last.outcome == "success" && last.log.hasPrefix(w + "/logs/nightly-"))
        #expect(setup.log.components(separatedBy: "plain line").count == 3)
        #expect(!FileManager.default.fileExists(atPath: setup.dir + "/curl-calls"))
    }

    @Test func lockedWorkdirIsSkippedNotFailed() throws {
        var setup = try Setup(status: 3, report: true)
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        setup.schedule.onFailure = "touch '\(setup.dir)/failure-ran'"
        setup.schedule.webhook = "http://127.0.0.1:9/hook"
        try setup.rewrite()
        let result = try setup.run()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(LastRun.load(path: setup.schedule.lastRunPath)?.outcome == "skipped-locked")
        #expect(LastRun.load(path: setup.schedule.lastRunPath)?.exit == 3)
        #expect(!ScheduleTestSupport.read(setup.calls).contains("report"))
        #expect(!FileManager.default.fileExists(atPath: setup.dir + "/failure-ran"))
        #expect(!FileManager.default.fileExists(atPath: setup.dir + "/curl-calls"))
    }

    @Test func failureRunsNotificationsAndReport() throws {
        var setup = try Setup(status: 1, report: true)
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        setup.schedule.onFailure =
            "echo \"$VIDACT_SCHEDULE_STATUS $VIDACT_SCHEDULE_SUMMARY\" > '\(setup.dir)/failure-ran'"
        setup.schedule.webhook = "https://example.org/hook?a=1&b=2"
        try setup.rewrite()
        let result = try setup.run()
        #expect(result.status == 1, "\(result.stderr)")
        let w = setup.schedule.workdir
        #expect(ScheduleTestSupport.read(setup.calls).contains("\(w): report --workdir \(w)\n"))
        #expect(ScheduleTestSupport.read(w + "/reports/latest.html") == "<html>run1</html>\n")
        #expect(ScheduleTestSupport.read(setup.dir + "/failure-ran") == "1 \(setup.schedule.summaryPath)\n")
        let curl = ScheduleTestSupport.read(setup.dir + "/curl-calls")
        #expect(curl.contains("-fsS -m 20 -H Content-Type: application/json --data @\(setup.schedule.summaryPath)"))
        #expect(curl.hasSuffix("https://example.org/hook?a=1&b=2\n"), "\(curl)")
        let posted = try #require(
            try JSONSerialization.jsonObject(with: Data(ScheduleTestSupport.read(setup.dir + "/posted").utf8))
                as? [String: Any])
        #expect(posted["exit_status"] as? Int == 1 && posted["failed"] as? Bool == true)
        #expect(posted["report"] as? String == "\(w)/reports/run1.html")
        #expect(posted["latest"] as? String == "\(w)/reports/latest.html")
        let events = try #require(posted["events"] as? [[String: Any]])
        #expect(events.first?["reason"] as? String == "notAVideo")
    }

    @Test func failingNotificationsAreLoggedNotFatal() throws {
        var setup = try Setup(status: 0, curlStatus: 22)
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        setup.schedule.webhook = "http://127.0.0.1:9/hook"
        try setup.rewrite()
        let ok = try setup.run()
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(setup.log.contains("webhook POST to http://127.0.0.1:9/hook failed (exit 22)"))

        var failing = try Setup(status: 2)
        defer { try? FileManager.default.removeItem(atPath: failing.dir) }
        failing.schedule.onFailure = "exit 7"
        try failing.rewrite()
        let result = try failing.run()
        #expect(result.status == 2)
        #expect(failing.log.contains("--on-failure command failed (exit 7)"))
        #expect(LastRun.load(path: failing.schedule.lastRunPath)?.outcome == "configuration-error")
    }

    @Test func eachRunKeepsItsReportAndLatestIsTheNewest() throws {
        let setup = try Setup(report: true)
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        for _ in 0..<2 {
            let result = try setup.run()
            #expect(result.status == 0, "\(result.stderr)")
        }
        let reports = setup.schedule.workdir + "/reports"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: reports))?.sorted() ?? []
        #expect(files == ["latest.html", "run1.html", "run2.html"], "no temporary copy is left behind")
        #expect(ScheduleTestSupport.read(reports + "/run1.html") == "<html>run1</html>\n")
        #expect(ScheduleTestSupport.read(reports + "/latest.html") == "<html>run2</html>\n")
        let summary = try setup.summary()
        #expect(summary["report"] as? String == reports + "/run2.html")
        #expect(summary["latest"] as? String == reports + "/latest.html")
        #expect(setup.log.contains("report \(reports)/run2.html"), "the report's output goes to the log")
    }

    @Test func aFailingReportIsLoggedNotFatal() throws {
        let setup = try Setup(status: 0, report: true, reportStatus: 5)
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        let result = try setup.run()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(setup.log.contains("report failed (exit 5)") && setup.log.contains("report broke"), "\(setup.log)")
        let summary = try setup.summary()
        #expect(summary["report"] is NSNull && summary["latest"] is NSNull)
        #expect(!FileManager.default.fileExists(atPath: setup.schedule.workdir + "/reports/latest.html"))
        #expect(LastRun.load(path: setup.schedule.lastRunPath)?.outcome == "success")
    }
}
