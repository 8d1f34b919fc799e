// Every generated job and schedule file survives a hostile path: a workdir and pipeline whose
// names hold a space, both quotes, `$`, `%`, `;`, `:`, `#`, a backslash and non-ASCII letters.
// Each file is checked by a tool no one here wrote and read back: the sbatch files by `bash -n`,
// and submit.sh run against a stand-in `sbatch` that records its arguments; the Kubernetes
// manifests parsed back by Yams and validated against the Kubernetes schemas (PyPI
// `kubernetes-validate --strict`, in the test venv), and the shard's `sh -c` command run with the
// manifest's environment; the systemd units by `systemd-analyze verify` and ExecStart unquoted
// by systemd's documented rules; the crontab line run the way cron runs it (`%` handling, then
// `/bin/sh -c`), which runs the wrapper script for real. The real Slurm run is in
// `SlurmClusterTests` (VidactCLITests).
import Foundation
import TestSupport
import Testing
import Yams

@testable import Scheduling

struct HostilePathTests {
    static let hostileName = "night q'uote \"dq\" $HOME %n ;x #h: \\b é日本"

    struct Setup {
        let dir: String
        var workdir: String { dir + "/" + HostilePathTests.hostileName + "/work" }
        var pipeline: String { dir + "/" + HostilePathTests.hostileName + "/p $x'.yaml" }

        init() throws {
            dir = try ScheduleTestSupport.temporaryDirectory()
            try FileManager.default.createDirectory(
                atPath: dir + "/" + HostilePathTests.hostileName, withIntermediateDirectories: true)
        }
    }

    @Test func slurmFilesPassBashAndSubmitPassesTheExactWorkdir() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        let settings = ClusterExport.Settings(
            pipeline: setup.pipeline, workdir: setup.workdir, shards: 3, vidact: setup.dir + "/bin dir/vidact")
        let files = try ClusterExport.files(.slurm, settings)
        let out = setup.dir + "/" + HostilePathTests.hostileName + "/export"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (name, text) in files {
            try ScheduleTestSupport.executable(text, to: out + "/" + name)
            let check = try runProcess("bash", ["-n", out + "/" + name])
            #expect(check.status == 0, "\(name): \(check.stderr)")
            // sbatch splits directives on spaces and expands % patterns: no path may be in one.
            for line in text.split(separator: "\n") where line.hasPrefix("#SBATCH") {
                #expect(!line.contains(setup.dir), "\(name): a path in a directive: \(line)")
            }
        }
        // The body quotes the binary and pipeline as single words: bash reads them back exactly.
        let extract = try #require(files["extract.sbatch"])
        let words = try runProcess(
            "bash", ["-c", "set -- " + wordsOf(extract, after: "exec ") + "; printf '%s\\n' \"$@\""])
        #expect(
            words.stdout.split(separator: "\n").prefix(3).map(String.init) == [settings.vidact, "run", setup.pipeline])
        // submit.sh against a stand-in sbatch that records each argument on its own line.
        let bin = setup.dir + "/fakebin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try ScheduleTestSupport.script(
            bin + "/sbatch", "printf '%s\\n' \"$@\" >>\"$SBATCH_LOG\"; printf '%s;cluster\\n' $((1000 + RANDOM % 9))")
        let log = setup.dir + "/sbatch.log"
        let submitted = try runProcess(
            "/usr/bin/env", ["PATH=\(bin):/usr/bin:/bin", "SBATCH_LOG=\(log)", "bash", out + "/submit.sh"])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let arguments = ScheduleTestSupport.read(log).split(separator: "\n").map(String.init)
        #expect(arguments.filter { $0 == "--chdir=" + setup.workdir }.count == 2, "\(arguments)")
        #expect(arguments.contains("extract.sbatch") && arguments.contains("finish.sbatch"))
        #expect(FileManager.default.fileExists(atPath: setup.workdir + "/logs"))
        #expect(submitted.stdout.hasPrefix("vidact-shards 1"), "\(submitted.stdout)")
    }

    @Test func kubernetesManifestsValidateAndReadBackTheExactPaths() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        let settings = ClusterExport.Settings(
            pipeline: setup.pipeline, workdir: setup.workdir, shards: 3, vidact: "/opt/v #1/vidact",
            image: "registry.example:5000/vidact:1.0", memory: "4G")
        let files = try ClusterExport.files(.k8s, settings)
        for name in ["job.yaml", "finish.yaml"] {
            let path = setup.dir + "/" + name
            try #require(files[name]).write(toFile: path, atomically: true, encoding: .utf8)
            let validate = try runProcess(Self.kubernetesValidate(), ["--strict", path])
            #expect(validate.status == 0, "\(name): \(validate.stdout)\(validate.stderr)")
        }
        let jobText = try #require(files["job.yaml"])
        let job = try #require(try Yams.load(yaml: jobText) as? [String: Any])
        let pod = try #require(
            ((job["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        #expect((container["volumeMounts"] as? [[String: Any]])?.first?["mountPath"] as? String == setup.workdir)
        #expect(container["image"] as? String == settings.image)
        let environment = try #require(container["env"] as? [[String: String]])
        #expect(environment.map { $0["value"] } == [settings.vidact, setup.pipeline])
        #expect((container["resources"] as? [String: Any]).map { "\($0)" }?.contains("4Gi") == true)
        // The shard command, run by sh with the manifest's environment, passes the exact paths.
        let script = try #require((container["args"] as? [String])?.first)
        let fake = setup.dir + "/fake-vidact"
        try ScheduleTestSupport.script(fake, "printf '%s\\n' \"$@\"")
        let ran = try runProcess(
            "/usr/bin/env",
            ["VIDACT=\(fake)", "VIDACT_PIPELINE=\(setup.pipeline)", "JOB_COMPLETION_INDEX=2", "sh", "-c", script])
        #expect(
            ran.stdout == "run\n\(setup.pipeline)\n--shard\n2/3\n--log-format\njson\n", "\(ran.stdout)\(ran.stderr)")
        let finishText = try #require(files["finish.yaml"])
        let finish = try #require(try Yams.load(yaml: finishText) as? [String: Any])
        let finishPod = try #require(
            ((finish["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        let command = (finishPod["containers"] as? [[String: Any]])?.first?["command"] as? [String]
        #expect(command == [settings.vidact, "run", setup.pipeline, "--log-format", "json"])
    }

    @Test func systemdUnitsVerifyAndExecStartUnquotesToTheWrapper() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        let schedule = ScheduleTestSupport.schedule(workdir: setup.workdir, backend: .systemd)
        try FileManager.default.createDirectory(atPath: setup.workdir + "/schedule", withIntermediateDirectories: true)
        try ScheduleTestSupport.executable(ScheduleWrapper.script(for: schedule), to: schedule.wrapperPath)
        let paths = SystemdUnits.paths(for: schedule, directory: setup.dir + "/units")
        try ScheduleFiles.write(SystemdUnits.service(for: schedule), to: paths.service, mode: 0o644)
        try ScheduleFiles.write(SystemdUnits.timer(for: schedule), to: paths.timer, mode: 0o644)
        let result = try runProcess("systemd-analyze", ["verify", paths.service, paths.timer])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let complaints = (result.stdout + result.stderr).split(separator: "\n").filter { $0.contains("vidact-nightly") }
        #expect(complaints.isEmpty, "\(complaints)")
        let service = SystemdUnits.service(for: schedule)
        let execStart = try #require(service.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        #expect(
            try Self.systemdWords(String(execStart.dropFirst("ExecStart=".count))) == [
                "/bin/bash", schedule.wrapperPath,
            ])
    }

    @Test func cronLineRunsTheWrapperInTheHostileWorkdir() throws {
        let setup = try Setup()
        defer { try? FileManager.default.removeItem(atPath: setup.dir) }
        let fake = setup.dir + "/fake-vidact"
        try ScheduleTestSupport.script(fake, "if [ \"$1\" = run ]; then printf '%s\\n' \"$@\" >\"$PWD/ran.txt\"; fi")
        let schedule = ScheduleTestSupport.schedule(workdir: setup.workdir, backend: .cron, vidact: fake)
        try FileManager.default.createDirectory(atPath: setup.workdir + "/schedule", withIntermediateDirectories: true)
        try ScheduleTestSupport.executable(ScheduleWrapper.script(for: schedule), to: schedule.wrapperPath)
        let line = try #require(CrontabBlock.block(for: schedule).split(separator: "\n").first { !$0.hasPrefix("#") })
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        #expect(fields.prefix(5).joined(separator: " ") == "30 2 * * *")
        let command = try Self.cronCommand(String(fields[5]))
        let ran = try runProcess("/bin/sh", ["-c", command])
        #expect(ran.status == 0, "\(ran.stderr)")
        let last = ScheduleTestSupport.read(setup.workdir + "/schedule/nightly.last")
        #expect(last.contains("exit=0\n") && last.contains("outcome=success\n"), "\(last)")
        #expect(
            ScheduleTestSupport.read(setup.workdir + "/ran.txt") == "run\n\(schedule.pipeline)\n--log-format\njson\n")
    }

    /// The shell words after `marker` on the line that holds it (up to the end of that line).
    func wordsOf(_ text: String, after marker: String) -> String {
        let line = text.split(separator: "\n").first { $0.hasPrefix(marker) } ?? ""
        return String(line.dropFirst(marker.count))
    }

    /// The kubernetes-validate of the test venv (scripts/make-test-venv installs it).
    static func kubernetesValidate() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let tool = root + "/.venv/bin/kubernetes-validate"
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            throw ScheduleError(.io, tool, "missing: run scripts/bootstrap (scripts/make-test-venv installs it)")
        }
        return tool
    }

    /// A command line split the way systemd.service(5) "Command lines" reads it: words separated by
    /// spaces, double-quoted words with C escapes `\\` and `\"`, `%%` → `%` and `$$` → `$`.
    static func systemdWords(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var inWord = false
        var characters = Array(
            line.replacingOccurrences(of: "%%", with: "%").replacingOccurrences(of: "$$", with: "$"))[...]
        while let character = characters.popFirst() {
            switch character {
            case "\\" where quoted:
                guard let next = characters.popFirst() else { throw ScheduleError(.io, line, "trailing backslash") }
                current.append(next)
            case "\"":
                quoted.toggle()
                inWord = true
            case " " where !quoted:
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                current.append(character)
                inWord = true
            }
        }
        if quoted { throw ScheduleError(.io, line, "unterminated quote") }
        if inWord { words.append(current) }
        return words
    }

    /// What cron hands to `/bin/sh -c` for a crontab command field (crontab(5)): `\%` is a literal
    /// `%`, and an unescaped `%` ends the command (the rest is standard input).
    static func cronCommand(_ field: String) throws -> String {
        var command = ""
        var characters = Array(field)[...]
        while let character = characters.popFirst() {
            if character == "\\", characters.first == "%" {
                command.append(characters.removeFirst())
            } else if character == "%" {
                break
            } else {
                command.append(character)
            }
        }
        return command
    }
}
