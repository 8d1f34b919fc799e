// `vidact export slurm` under a real scheduler: scripts/slurm-local starts a one-node Slurm 22.05
// (munged, slurmctld, slurmd from Debian, installed by scripts/bootstrap), the exported submit.sh
// submits 3 shard tasks and the finishing job for a pipeline with extract, train, predict and
// evaluate over six fixture clips and one broken clip, in a workdir whose path holds a space and
// a quote. Checked: every array task ended (COMPLETED, or FAILED with exit 1 for the shard that
// holds the broken clip), the finishing job ran after them, and the feature volumes, the trained
// model and the predictions equal a single-machine `vidact run` of the same pipeline (every
// tensor byte and every metadata value except the creation time, the training log's seconds and the workdir's own path).
import Foundation
import SafeTensors
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct SlurmClusterTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let slurmLocal = repository + "/scripts/slurm-local"

    @Test(.timeLimit(.minutes(10))) func exportedJobFilesRunUnderSlurmLikeOneMachine() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try RunCommandTests.dataset(dir + "/videos", count: 3)
        try Data("not a video at all".utf8).write(to: URL(fileURLWithPath: dir + "/videos/bars/broken.mp4"))
        let pipeline = { (workdir: String) in
            """
            version: 1
            workdir: "\(workdir)"
            dataset: {layout: folder_per_class, root: videos, val_fraction: 0, test_fraction: 0.3}
            extract: {models: \(FeaturesCommandTests.models), sampling: {uniform: 2}, batch: 4}
            train: {task: clip, epochs: 3, hidden: 16, batch: 4}
            predict: {videos: all}
            evaluate: {}
            """
        }
        let workdir = "cluster work 'q"
        try pipeline(workdir).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        try pipeline("single").write(toFile: dir + "/single.yaml", atomically: true, encoding: .utf8)

        let up = try Self.spawn(["/bin/bash", Self.slurmLocal, "up"], output: dir + "/slurm-up.log")
        try #require(up.status == 0, "scripts/slurm-local up: \(up.output)")
        defer { _ = try? Self.spawn(["/bin/bash", Self.slurmLocal, "down"], output: dir + "/slurm-down.log") }
        let conf = try #require(up.output.split(separator: "\n").last { $0.hasPrefix("export SLURM_CONF=") })
        let environment = ["SLURM_CONF=" + conf.dropFirst("export SLURM_CONF=".count)]

        let export = try CLITests.run(
            CLITests.binary,
            [
                "export", "slurm", dir + "/p.yaml", "--shards", "3", "--out", dir + "/jobs", "--vidact",
                CLITests.binary,
                "--cpus-per-task", "1", "--mem", "2G",
            ])
        try #require(export.status == 0, "\(export.stderr)")
        let submit = try runProcess("/usr/bin/env", environment + ["bash", dir + "/jobs/submit.sh"])
        try #require(submit.status == 0, "submit.sh: \(submit.stderr)")
        let ids = submit.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
        try #require(ids.count == 2, "\(submit.stdout)")

        // Wait (bounded) until neither job is queued or running.
        let deadline = Date().addingTimeInterval(420)
        while Date() < deadline {
            let queue = try runProcess(
                "/usr/bin/env", environment + ["squeue", "-h", "-j", ids.joined(separator: ",")])
            if queue.status == 0 && queue.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { break }
            usleep(500_000)
        }
        let shards = try Self.states(ids[0], environment)
        let finish = try Self.states(ids[1], environment)
        print("slurm: shards \(shards), finish \(finish)")
        #expect(shards.count == 3, "\(shards)")
        // The broken clip makes its shard exit 1; the other shards complete.
        #expect(shards.filter { $0 == "COMPLETED 0" }.count == 2 && shards.filter { $0 == "FAILED 1" }.count == 1)
        #expect(finish == ["FAILED 1"], "the finishing run retries the broken clip and reports it: \(finish)")
        let finishLog = try FileManager.default.contentsOfDirectory(atPath: dir + "/" + workdir + "/logs")
            .filter { $0.hasPrefix("vidact-finish-") }
        #expect(finishLog.count == 1, "\(finishLog)")

        let single = try CLITests.run(CLITests.binary, ["run", dir + "/single.yaml"])
        #expect(single.status == 1, "one broken clip: \(single.stderr)")
        try Self.expectSameOutputs(dir + "/" + workdir, dir + "/single")
    }

    /// CSV text without its last column.
    static func withoutLastColumn(_ csv: String) -> String {
        csv.split(separator: "\n").map { $0.split(separator: ",").dropLast().joined(separator: ",") }
            .joined(separator: "\n")
    }

    /// Runs `arguments` with stdout and stderr into the file `output` and waits with waitpid.
    /// Foundation's Process is not used here: for scripts/slurm-local (whose daemons outlive it in
    /// sessions of their own) its exit is never noticed on Linux, and `waitUntilExit` hangs although
    /// the child is a zombie that waitpid reaps at once.
    static func spawn(_ arguments: [String], output: String) throws -> (status: Int32, output: String) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw CocoaError(.fileNoSuchFile, userInfo: ["spawn": arguments, "errno": spawned]) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS by hand (they are C macros).
        return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), text)
    }

    /// "STATE EXIT" of each job (one per array task), from `scontrol show job -o` (accounting is
    /// off; slurm-local keeps finished jobs for an hour).
    static func states(_ id: String, _ environment: [String]) throws -> [String] {
        let shown = try runProcess("/usr/bin/env", environment + ["scontrol", "show", "job", "-o", id])
        return shown.stdout.split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            let state = fields.first { $0.hasPrefix("JobState=") }?.dropFirst("JobState=".count) ?? "?"
            let exit = fields.first { $0.hasPrefix("ExitCode=") }?.dropFirst("ExitCode=".count).split(separator: ":")
                .first
            return "\(state) \(exit ?? "?")"
        }
    }

    /// The feature files, the trained models and predictions.csv of two workdirs are the same.
    static func expectSameOutputs(_ cluster: String, _ single: String) throws {
        let files = { (root: String) in
            (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter {
                ($0.hasPrefix("features/") || $0.hasPrefix("models/")) && $0.hasSuffix(".safetensors")
                    && !$0.contains("/epoch-")
            }.sorted()
        }
        let names = files(cluster)
        #expect(names == files(single))
        #expect(names.filter { $0.hasPrefix("features/") }.count == 6, "\(names)")
        #expect(names.contains { $0.hasPrefix("models/") && $0.hasSuffix("/best.safetensors") }, "\(names)")
        for name in names {
            let a = try SafeTensorsFile(path: cluster + "/" + name)
            let b = try SafeTensorsFile(path: single + "/" + name)
            #expect(a.names == b.names, "\(name)")
            for tensor in a.names where b.contains(tensor) {
                #expect(try a.rawBytes(tensor) == b.rawBytes(tensor), "\(name): tensor \(tensor) differs")
            }
            // Wall-clock values differ between any two runs: the creation time and the seconds column
            // of the training log.
            let metadata = { (file: SafeTensorsFile) -> [String: String] in
                var values = file.metadata
                values["created"] = nil
                values["trainer.log"] = values["trainer.log"].map(Self.withoutLastColumn)
                return values
            }
            #expect(
                metadata(a).mapValues { $0.replacingOccurrences(of: cluster, with: "WORKDIR") }
                    == metadata(b).mapValues { $0.replacingOccurrences(of: single, with: "WORKDIR") },
                "\(name): metadata differs")
        }
        let predictions = { (root: String) in try String(contentsOfFile: root + "/predictions.csv", encoding: .utf8) }
        #expect(try predictions(cluster) == predictions(single))
    }
}
