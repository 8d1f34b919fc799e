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

/// Generated job files: file name → contents.
public enum ClusterExport {
    public enum Target: String, Sendable, CaseIterable {
        case slurm, k8s
    }

    public struct Settings: Sendable {
        public var pipeline: String
        public var workdir: String
        public var shards: Int
        /// Path of the vidact binary on the nodes (slurm) / the container image (k8s).
        public var vidact: String
        public var image: String
        public var cpusPerTask: Int
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

    public static func files(_ target: Target, _ s: Settings) -> [String: String] {
        switch target {
        case .slurm: return slurm(s)
        case .k8s: return kubernetes(s)
        }
    }

    static func slurm(_ s: Settings) -> [String: String] {
        let header = { (name: String) in
            """
            #!/bin/bash
            #SBATCH --job-name=\(name)
            #SBATCH --cpus-per-task=\(s.cpusPerTask)
            #SBATCH --mem=\(s.memory)
            #SBATCH --output=\(s.workdir)/logs/%x-%A_%a.out
            """
        }
        let extract =
            header("vidact-shards") + """

                #SBATCH --array=0-\(s.shards - 1)
                # One shard of \(s.shards): the videos whose relative path hashes to $SLURM_ARRAY_TASK_ID.
                set -euo pipefail
                exec \(Shell.quote(s.vidact)) run \(Shell.quote(s.pipeline)) --shard "${SLURM_ARRAY_TASK_ID}/\(s.shards)" --log-format json

                """
        let finish =
            header("vidact-finish") + """

                # After every shard: train, predict and evaluate (and anything a shard left undone).
                set -euo pipefail
                exec \(Shell.quote(s.vidact)) run \(Shell.quote(s.pipeline)) --log-format json

                """
        let submit = """
            #!/bin/bash
            # Submits the \(s.shards) shards as an array job, then the finishing run after all of them
            # (afterany: a shard exits 1 when some of its videos failed, which must not block the rest).
            set -euo pipefail
            cd "$(dirname "$0")"
            mkdir -p \(Shell.quote(s.workdir + "/logs"))
            array=$(sbatch --parsable extract.sbatch)
            sbatch --dependency="afterany:${array%%;*}" finish.sbatch

            """
        return ["extract.sbatch": extract, "finish.sbatch": finish, "submit.sh": submit]
    }

    static func kubernetes(_ s: Settings) -> [String: String] {
        let volume = """
                    volumeMounts:
                    - name: workdir
                      mountPath: \(s.workdir)
                  volumes:
                  - name: workdir
                    persistentVolumeClaim:
                      claimName: vidact-workdir
            """
        let job = """
            # \(s.shards) shards of `vidact run \(s.pipeline)`; the shard index is $JOB_COMPLETION_INDEX.
            # The workdir is a shared ReadWriteMany volume (claim vidact-workdir) mounted at the same path.
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: vidact-shards
            spec:
              completionMode: Indexed
              completions: \(s.shards)
              parallelism: \(s.shards)
              backoffLimitPerIndex: 1
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: vidact
                    image: \(s.image)
                    command: ["sh", "-c"]
                    args: ["exec \(s.vidact) run \(s.pipeline) --shard \\"${JOB_COMPLETION_INDEX}/\(s.shards)\\" --log-format json"]
                    resources:
                      requests: {cpu: "\(s.cpusPerTask)", memory: \(s.memory)i}
            \(volume)

            """
        let finish = """
            # After every shard: train, predict and evaluate (and anything a shard left undone).
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: vidact-finish
            spec:
              backoffLimit: 1
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: vidact
                    image: \(s.image)
                    command: ["\(s.vidact)", "run", "\(s.pipeline)", "--log-format", "json"]
                    resources:
                      requests: {cpu: "\(s.cpusPerTask)", memory: \(s.memory)i}
            \(volume)

            """
        let run = """
            #!/bin/bash
            # Runs the shards, waits until every index has finished (complete or failed), then the finishing job.
            set -euo pipefail
            cd "$(dirname "$0")"
            kubectl apply -f job.yaml
            kubectl wait --for=condition=complete --timeout=24h job/vidact-shards \\
                || kubectl wait --for=condition=failed --timeout=1s job/vidact-shards || true
            kubectl apply -f finish.yaml

            """
        return ["job.yaml": job, "finish.yaml": finish, "run.sh": run]
    }
}
