// `vidact export slurm|k8s PIPELINE --shards N --out DIR`: job files that run the pipeline's shards
// on a cluster, then the steps that need all of them (see `ClusterExport`).
import ArgumentParser
import Basics
import Foundation
import Pipeline
import SafeTensors
import Scheduling

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write Slurm or Kubernetes job files that run a pipeline in shards.")

    @Argument(help: "slurm or k8s.")
    var target: ClusterExport.Target

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Option(help: "Number of shard processes.")
    var shards: Int

    @Option(help: "Folder for the job files.")
    var out: String

    @Option(help: "The vidact binary on the nodes (slurm) or in the image (k8s).")
    var vidact: String = "vidact"

    @Option(help: "Container image (k8s).")
    var image: String = "vidact:latest"

    @Option(help: "CPUs per shard task.")
    var cpusPerTask: Int = 2

    @Option(help: "Memory per shard task, Slurm style (8G, 4000M); Gi/Mi in Kubernetes.")
    var mem: String = "8G"

    func validate() throws {
        if shards < 1 { throw ValidationError("--shards must be at least 1") }
        if cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1") }
        if mem.range(of: #"^[0-9]+[KMGT]?$"#, options: .regularExpression) == nil {
            throw ValidationError("--mem must be a number with an optional K, M, G or T suffix (like 8G), not \(mem)")
        }
    }

    mutating func run() throws {
        let config = try PipelineConfig.load(path: pipeline)
        let files = try ClusterExport.files(
            target,
            ClusterExport.Settings(
                pipeline: config.file, workdir: config.workdir, shards: shards, vidact: vidact, image: image,
                cpusPerTask: cpusPerTask, memory: mem))
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            let path = out + "/" + name
            try AtomicFile.write(Array(text.utf8), to: path)
            if name.hasSuffix(".sh") || name.hasSuffix(".sbatch") {
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            }
            print(path)
        }
    }
}

extension ClusterExport.Target: ExpressibleByArgument {}
