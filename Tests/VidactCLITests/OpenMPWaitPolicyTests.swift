// vidact re-executes itself with OMP_WAIT_POLICY=PASSIVE when the variable is unset, and keeps a
// policy the user set. Observed from outside: `schedule install --backend cron` runs the command
// named by VIDACT_CRONTAB, which inherits vidact's environment; the stand-in records the variable.
import Foundation
import TestSupport
import Testing

@testable import VidactCLI

struct OpenMPWaitPolicyTests {
    /// The OMP_WAIT_POLICY values the stand-in crontab saw, one per call.
    func policiesSeen(userPolicy: String?) throws -> [String] {
        let dir = try TemporaryDirectory.make("omp")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let crontab = """
            #!/bin/bash
            echo "${OMP_WAIT_POLICY-unset}" >> '\(dir)/seen'
            case "$1" in
              -l) echo "no crontab for tester" >&2; exit 1 ;;
              -) cat > /dev/null ;;
            esac

            """
        // Copied into place by install(1): see ScheduleCommandTests ("Text file busy").
        try crontab.write(toFile: dir + "/crontab.src", atomically: true, encoding: .utf8)
        let installed = try runProcess("/usr/bin/install", ["-m", "755", dir + "/crontab.src", dir + "/crontab"])
        #expect(installed.status == 0, "install: \(installed.stderr)")
        try "version: 1\nworkdir: work\ndataset:\n  layout: unlabelled\n  root: videos\n"
            .write(toFile: dir + "/night.yaml", atomically: true, encoding: .utf8)
        let policy = userPolicy.map { ["OMP_WAIT_POLICY=\($0)"] } ?? []
        let result = try runProcess(
            "/usr/bin/env",
            ["-u", "OMP_WAIT_POLICY", "VIDACT_CONFIG_HOME=\(dir)/config", "VIDACT_CRONTAB=\(dir)/crontab"] + policy + [
                CLITests.binary, "schedule", "install", dir + "/night.yaml", "--daily", "02:30", "--backend", "cron",
            ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let seen = (try? String(contentsOfFile: dir + "/seen", encoding: .utf8)) ?? ""
        return seen.split(separator: "\n").map(String.init)
    }

    @Test func unsetBecomesPassive() throws {
        let seen = try policiesSeen(userPolicy: nil)
        #expect(!seen.isEmpty && seen.allSatisfy { $0 == "PASSIVE" }, "\(seen)")
    }

    @Test func aPolicyTheUserSetIsKept() throws {
        let seen = try policiesSeen(userPolicy: "ACTIVE")
        #expect(!seen.isEmpty && seen.allSatisfy { $0 == "ACTIVE" }, "\(seen)")
    }

    /// The subcommands that run no oneDNN, or the CNN alone, keep libgomp's default; the others,
    /// and a bare `vidact`, re-execute; a policy already in the environment never does.
    @Test func whichSubcommandsReExecute() {
        func execs(_ arguments: [String], _ environment: [String: String] = [:]) -> Bool {
            OpenMPWaitPolicy.needsPassiveExec(arguments: ["vidact"] + arguments, environment: environment)
        }
        for keeping in ["probe", "frames", "decode", "cnn-bench", "classify"] {
            #expect(!execs([keeping, "x"]), "\(keeping)")
        }
        for passive in ["features", "run", "train", "predict", "schedule", "--version"] {
            #expect(execs([passive]), "\(passive)")
        }
        #expect(execs([]))
        #expect(!execs(["run"], ["OMP_WAIT_POLICY": "ACTIVE"]))
        #expect(!execs(["run"], ["OMP_WAIT_POLICY": "PASSIVE"]))
    }
}
