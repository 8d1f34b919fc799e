// A full disk during `vidact run`: the workdir is a small tmpfs mounted in a private mount
// namespace (`unshare -m`, so nothing outside the test sees it; CI runs as root). The catalog is
// created first, then the rest of the space is filled, so the run fails while writing volumes.
// It must say the disk is full (naming the workdir and its mount point), leave no partial file
// under a final name, and a later run with space must complete.
import Foundation
import SafeTensors
import TestSupport
import Testing

struct DiskFullTests {
    /// `clips` clips per class under `dir/videos`, the pipeline as `dir/p.yaml`, and an empty
    /// `dir/work` for the test's tmpfs to be mounted on.
    static func prepare(_ dir: String, clips: Int, pipeline: String) throws {
        try RunCommandTests.dataset(dir + "/videos", count: clips)
        try pipeline.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/work", withIntermediateDirectories: true)
    }

    @Test func aFullDiskGivesAClearErrorLeavesNoPartialFileAndALaterRunCompletes() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pipeline = """
            version: 1
            workdir: work
            dataset: {layout: folder_per_class, root: videos}
            extract: {models: \(FeaturesCommandTests.models), sampling: {uniform: 2}, dtype: f32}
            """
        try Self.prepare(dir, clips: 3, pipeline: pipeline)
        let vidact = CLITests.binary
        // Inside the namespace: mount 1 MiB, create the catalog (plan opens it), fill all but 96 KiB,
        // run (fails), list what is under final names, free the space, run again (completes).
        let script = """
            set -u
            work=\(dir)/work
            mount -t tmpfs -o size=1m tmpfs "$work" || { echo "MOUNT FAILED"; exit 99; }
            \(vidact) plan \(dir)/p.yaml > /dev/null
            dd if=/dev/zero of="$work/filler" bs=4k 2>/dev/null
            truncate -s -96k "$work/filler"
            \(vidact) run \(dir)/p.yaml > "$work/../full.out" 2> "$work/../full.err"
            echo "FULL_EXIT $?"
            \(vidact) features ls --workdir "$work" --json > "$work/../ls.json"
            rm "$work/filler"
            \(vidact) run \(dir)/p.yaml --log-format json > "$work/../again.out" 2> /dev/null
            echo "AGAIN_EXIT $?"
            \(vidact) features ls --workdir "$work" --json > "$work/../ls-after.json"
            \(vidact) catalog check --workdir "$work" > /dev/null && echo "CHECK_OK"
            """
        let result = try runProcess("unshare", ["-m", "sh", "-c", script])
        #expect(!result.stdout.contains("MOUNT FAILED"), "tmpfs mount needs root: \(result.stderr)")
        #expect(result.stdout.contains("FULL_EXIT 1"), "\(result.stdout) \(result.stderr)")
        let errors = try String(contentsOfFile: dir + "/full.err", encoding: .utf8)
        #expect(errors.contains("the disk holding \(dir)/work, mounted at \(dir)/work,"), "\(errors)")
        #expect(errors.contains("is full"), "\(errors)")
        // Everything under a final name is valid: the failed writes left nothing behind.
        let listed = FeaturesCommandTests.jsonLines(try String(contentsOfFile: dir + "/ls.json", encoding: .utf8))
        #expect(listed.count < 6, "some volumes must have failed for lack of space: \(listed.count)")
        #expect(listed.allSatisfy { $0["valid"] as? Bool == true }, "\(listed)")
        #expect(result.stdout.contains("AGAIN_EXIT 0"), "\(result.stdout)")
        let after = FeaturesCommandTests.jsonLines(try String(contentsOfFile: dir + "/ls-after.json", encoding: .utf8))
        #expect(after.count == 6 && after.allSatisfy { $0["valid"] as? Bool == true })
        #expect(result.stdout.contains("CHECK_OK"), "\(result.stdout)")
    }

    /// The disk fills while training writes its checkpoints: the run stops with the same clear
    /// error, no model file under a final name is invalid, the catalog passes its check, and after
    /// space is freed the same command trains to the end with no extraction redone.
    @Test func aDiskFullDuringTrainingLosesNothing() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pipeline = """
            version: 1
            workdir: work
            dataset: {layout: folder_per_class, root: videos, val_fraction: 0, test_fraction: 0.3}
            extract: {models: \(FeaturesCommandTests.models), sampling: {uniform: 2}}
            train: {task: clip, epochs: 4, hidden: 96, batch: 4}
            """
        try Self.prepare(dir, clips: 3, pipeline: pipeline)
        let vidact = CLITests.binary
        // Extract with room to spare, then leave 1 MiB: a checkpoint (weights and Adam moments of a
        // 96-unit LSTM over 1280 features) is about 6 MiB.
        let script = """
            set -u
            work=\(dir)/work
            mount -t tmpfs -o size=24m tmpfs "$work" || { echo "MOUNT FAILED"; exit 99; }
            \(vidact) run \(dir)/p.yaml --steps extract > /dev/null 2>&1; echo "EXTRACT_EXIT $?"
            dd if=/dev/zero of="$work/filler" bs=4k 2>/dev/null
            truncate -s -1m "$work/filler"
            \(vidact) run \(dir)/p.yaml > "$work/../full.out" 2> "$work/../full.err"
            echo "FULL_EXIT $?"
            \(vidact) catalog check --workdir "$work" > /dev/null && echo "CHECK_FULL_OK"
            cp "$work"/models/*/*.safetensors "$work/../" 2>/dev/null
            rm "$work/filler"
            \(vidact) run \(dir)/p.yaml --log-format json > "$work/../again.out" 2> /dev/null
            echo "AGAIN_EXIT $?"
            \(vidact) catalog check --workdir "$work" > /dev/null && echo "CHECK_OK"
            """
        let result = try runProcess("unshare", ["-m", "sh", "-c", script])
        #expect(!result.stdout.contains("MOUNT FAILED"), "tmpfs mount needs root: \(result.stderr)")
        #expect(result.stdout.contains("EXTRACT_EXIT 0"), "\(result.stdout)")
        #expect(result.stdout.contains("FULL_EXIT 1"), "\(result.stdout) \(result.stderr)")
        let errors = try String(contentsOfFile: dir + "/full.err", encoding: .utf8)
        #expect(errors.contains("the disk holding \(dir)/work, mounted at \(dir)/work,"), "\(errors)")
        #expect(errors.contains("is full"), "\(errors)")
        #expect(result.stdout.contains("CHECK_FULL_OK"), "\(result.stdout)")
        // Every model file left under a final name while the disk was full reads back whole (the
        // copies were taken before space was freed).
        let kept = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".safetensors") }
        for name in kept {
            #expect((try? SafeTensorsFile(path: dir + "/" + name)) != nil, "\(name) is not a whole safetensors file")
        }
        #expect(result.stdout.contains("AGAIN_EXIT 0"), "\(result.stdout)")
        let again = FeaturesCommandTests.jsonLines(try String(contentsOfFile: dir + "/again.out", encoding: .utf8))
        let summary = again.last { $0["event"] as? String == "summary" } ?? [:]
        #expect(
            RunCommandTests.done(summary, "extract") == 0 && RunCommandTests.done(summary, "train") == 1, "\(summary)")
        #expect(result.stdout.contains("CHECK_OK"), "\(result.stdout)")
    }

    /// A workdir that became read-only (remounted `ro`): the run stops at once with a message that
    /// says the workdir must be writable, and what was cached before is untouched.
    @Test func aReadOnlyWorkdirIsAClearError() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pipeline = """
            version: 1
            workdir: work
            dataset: {layout: folder_per_class, root: videos}
            extract: {models: \(FeaturesCommandTests.models), sampling: {uniform: 2}}
            """
        try Self.prepare(dir, clips: 1, pipeline: pipeline)
        let vidact = CLITests.binary
        let script = """
            set -u
            work=\(dir)/work
            mount -t tmpfs -o size=16m tmpfs "$work" || { echo "MOUNT FAILED"; exit 99; }
            \(vidact) run \(dir)/p.yaml > /dev/null 2>&1; echo "FIRST_EXIT $?"
            mount -o remount,ro "$work" || { echo "REMOUNT FAILED"; exit 99; }
            \(vidact) run \(dir)/p.yaml > /dev/null 2> "$work/../ro.err"; echo "RO_EXIT $?"
            find "$work/features" -name '*.safetensors' | wc -l | sed 's/^/FILES /'
            """
        let result = try runProcess("unshare", ["-m", "sh", "-c", script])
        #expect(!result.stdout.contains("FAILED"), "mounts need root: \(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("FIRST_EXIT 0") && result.stdout.contains("FILES 2"), "\(result.stdout)")
        #expect(result.stdout.contains("RO_EXIT 1"), "\(result.stdout)")
        let errors = try String(contentsOfFile: dir + "/ro.err", encoding: .utf8)
        #expect(errors.contains("the workdir must be writable by this user"), "\(errors)")
    }
}
