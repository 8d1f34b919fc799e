import Basics

// `vidact export slurm|k8s PIPELINE --shards N`: job files that run a pipeline on a cluster — N
// shard processes (`vidact run --shard i/N`, each extracting and predicting the videos whose path
// hashes to i) over one shared workdir, then one plain `vidact run` that does the steps needing
// every shard's output (train, evaluate) and whatever the shards left. The workdir must be on a
// filesystem all nodes share with working file locks (see pipelines/README.md).
//
//   slurm: extract.sbatch (array job 0..N-1), finish.sbatch, submit.sh (submits the array, then
//          finish with --dependency=afterany on it: shards exit 1 when some videos failed)
//   k8s:   job.yaml (an Indexed Job of N completions; the shard is $JOB_COMPLETION_INDEX),
//          finish.yaml (a Job), run.sh (applies job.yaml, waits for it, applies finish.yaml)
//
// Any path works — spaces, quotes, `$`, `%`, `:`, `#`, non-ASCII: paths appear only as one
// single-quoted shell word (`Shell.quote`) in the bash bodies, never in an `#SBATCH` line (sbatch
// splits those on spaces and expands `%` patterns): submit.sh passes `--chdir` to the workdir on
// sbatch's command line and the log paths are relative to it. The Kubernetes files are built as
// YAML nodes and serialised by Yams (`ClusterExport+Kubernetes`), and the container's shell gets
// the paths from its environment, not spliced into the command string.

/// Generated job files: file name → contents.
public enum ClusterExport {
    public enum Target: String, Sendable, CaseIterable {
        case slurm, k8s
    }

    public struct Settings: Sendable {
        public var pipeline: String
        public var workdir: String
        public var shards: Int
        /// Path of the vidact binary on the nodes (slurm) / in the container image (k8s).
        public var vidact: String
        public var image: String
        public var cpusPerTask: Int
        /// Memory per task, Slurm style: a number with an optional K, M, G or T suffix ("8G").
        public var memory: String

        public init(
            pipeline: String, workdir: String, shards: Int, vidact: String = "vidact", image: String = "vidact:latest",
            cpusPerTask: Int = 2, memory: String = "8G"
        ) {
            self.pipeline = pipeline
            self.workdir = workdir
            self.shards = shards
            self.vidact = vidact
            self.image = image
            self.cpusPerTask = cpusPerTask
            self.memory = memory
        }
    }

    public static func files(_ target: Target, _ s: Settings) throws -> [String: String] {
        switch target {
        case .slurm: return slurm(s)
        case .k8s: return try kubernetes(s)
        }
    }

    static func slurm(_ s: Settings) -> [String: String] {
        let q = Shell.quote
        // No paths in directives: the working directory comes from submit.sh's --chdir.
        let header = { (name: String, output: String) in
            """
            #!/bin/bash
            #SBATCH --job-name=\(name)
            #SBATCH --cpus-per-task=\(s.cpusPerTask)
            #SBATCH --mem=\(s.memory)
            #SBATCH --output=logs/\(output)
            """
        }
        let extract =
            header("vidact-shards", "%x-%A_%a.out") + """

                #SBATCH --array=0-\(s.shards - 1)
                # One shard of \(s.shards): the videos whose relative path hashes to $SLURM_ARRAY_TASK_ID.
                set -euo pipefail
                exec \(q(s.vidact)) run \(q(s.pipeline)) --shard "${SLURM_ARRAY_TASK_ID}/\(s.shards)" --log-format json

                """
        let finish =
            header("vidact-finish", "%x-%j.out") + """

                # After every shard: train, predict and evaluate (and anything a shard left undone).
                set -euo pipefail
                exec \(q(s.vidact)) run \(q(s.pipeline)) --log-format json

                """
        let submit = """
            #!/bin/bash
            # Submits the \(s.shards) shards as an array job, then the finishing run after all of them
            # (afterany: a shard exits 1 when some of its videos failed, which must not block the rest).
            # Both run in the workdir (--chdir), where their logs go (logs/). Prints the two job ids.
            set -euo pipefail
            cd "$(dirname "$0")"
            WORKDIR=\(q(s.workdir))
            mkdir -p "$WORKDIR/logs"
            array=$(sbatch --parsable --chdir="$WORKDIR" extract.sbatch)
            array=${array%%;*}
            finish=$(sbatch --parsable --chdir="$WORKDIR" --dependency="afterany:$array" finish.sbatch)
            echo "vidact-shards ${array}"
            echo "vidact-finish ${finish%%;*}"

            """
        return ["extract.sbatch": extract, "finish.sbatch": finish, "submit.sh": submit]
    }
}
