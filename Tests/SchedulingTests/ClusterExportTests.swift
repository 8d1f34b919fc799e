// The cluster job files: shell scripts pass `bash -n`, Slurm directives are well formed and the
// array covers every shard, and the Kubernetes manifests parse as YAML with the Indexed Job
// fields Kubernetes needs. Hostile paths: HostilePathTests; a real Slurm run: SlurmClusterTests.
import Foundation
import TestSupport
import Testing
import Yams

@testable import Scheduling

struct ClusterExportTests {
    let settings = ClusterExport.Settings(pipeline: "/p/demo.yaml", workdir: "/shared/work", shards: 4)

    @Test func slurmScriptsAreValidBashAndCoverEveryShard() throws {
        let files = try ClusterExport.files(.slurm, settings)
        #expect(Set(files.keys) == ["extract.sbatch", "finish.sbatch", "submit.sh"])
        let dir = try TemporaryDirectory.make("slurm")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, text) in files {
            try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
            let check = try runProcess("bash", ["-n", dir + "/" + name])
            #expect(check.status == 0, "\(name): \(check.stderr)")
            #expect(text.hasPrefix("#!/bin/bash\n"))
        }
        let extract = files["extract.sbatch"]!
        #expect(extract.contains("#SBATCH --array=0-3\n"))
        #expect(extract.contains("--shard \"${SLURM_ARRAY_TASK_ID}/4\""))
        // Directives must come before the first command for sbatch to read them.
        let lines = extract.split(separator: "\n")
        let lastDirective = lines.lastIndex { $0.hasPrefix("#SBATCH") }!
        let firstCommand = lines.firstIndex { !$0.hasPrefix("#") }!
        #expect(lastDirective < firstCommand)
        #expect(files["submit.sh"]!.contains("--dependency=\"afterany:"))
    }

    @Test func kubernetesManifestsParseAsIndexedJobs() throws {
        let files = try ClusterExport.files(.k8s, settings)
        let job = try #require(try Yams.load(yaml: files["job.yaml"]!) as? [String: Any])
        #expect(job["apiVersion"] as? String == "batch/v1" && job["kind"] as? String == "Job")
        let spec = try #require(job["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        #expect(spec["completions"] as? Int == 4 && spec["parallelism"] as? Int == 4)
        let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        let args = try #require(container["args"] as? [String])
        #expect(args.first?.contains("--shard \"${JOB_COMPLETION_INDEX}/4\"") == true, "\(args)")
        #expect((container["volumeMounts"] as? [[String: Any]])?.first?["mountPath"] as? String == "/shared/work")
        #expect((pod["volumes"] as? [[String: Any]])?.first?["name"] as? String == "workdir")
        let finish = try #require(try Yams.load(yaml: files["finish.yaml"]!) as? [String: Any])
        #expect(finish["kind"] as? String == "Job")
        let check = try runProcess("bash", ["-n", "-c", files["run.sh"]!])
        #expect(check.status == 0, "\(check.stderr)")
    }
}
