// `vidact run PIPELINE`: plans and executes the pipeline's steps, resumable and incremental.
// Exit status: 0 all done; 1 some units failed (the rest done); 2 bad configuration; 3 workdir
// locked by another run; 130 / 143 interrupted by SIGINT / SIGTERM.
import ArgumentParser
import Catalog
import Foundation
import Pipeline

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline file: extract, train, predict, evaluate — only what is not done yet.",
        discussion: """
            Exit status: 0 all done; 1 some units failed (the rest done; see `vidact runs show`); 2 bad
            configuration; 3 workdir locked by another run; 130/143 interrupted (SIGINT/SIGTERM).
            """)

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @OptionGroup var plan: PlanOptionGroup

    @Option(
        name: .customLong("log-format"),
        help: "text (on standard error) or json (one object per line on standard output).")
    var logFormat: RunLog.Format = .text

    mutating func run() throws {
        let config = try PipelineConfig.load(path: pipeline)
        let log = RunLog(format: logFormat)
        let runner = try PipelineRunner(
            config: config, options: try plan.options(), log: log, toolVersion: VidactVersion.string)
        let report: RunReport
        do {
            report = try runner.run()
        } catch let error where DiskSpace.isFull(error) {
            throw CLIError("\(error)\n" + DiskSpace.advice(for: config.workdir))
        }
        for failure in report.failures where DiskSpace.isFull(errno: failure.errno) {
            printError("vidact: " + DiskSpace.advice(for: config.workdir))
            break
        }
        print(logFormat == .json ? RunReportText.json(report) : RunReportText.text(report, config: config))
        if report.failed > 0 { throw SomeInputsFailed() }
    }
}

/// `--steps`, `--shard`, `--retry-failed`, `--force`: shared by `run` and `plan`.
struct PlanOptionGroup: ParsableArguments {
    @Option(help: "Comma-separated steps to run (extract,train,predict,evaluate); default: all the file defines.")
    var steps: String?

    @Option(help: "Run shard i of N (0-based): only the videos whose relative path hashes to i.")
    var shard: String?

    @Flag(name: .customLong("retry-failed"), help: "Retry units that failed in earlier runs.")
    var retryFailed = false

    @Option(help: "Redo a step's units even when done (extract, train, predict, evaluate).")
    var force: [PipelineStep] = []

    func validate() throws {
        if let shard, Shard(shard) == nil { throw ValidationError("--shard must look like 0/4 (index below count)") }
        if let steps {
            for name in steps.split(separator: ",") where PipelineStep(rawValue: String(name)) == nil {
                throw ValidationError("--steps: unknown step '\(name)'; steps are extract, train, predict, evaluate")
            }
        }
    }

    func options() throws -> PlanOptions {
        PlanOptions(
            steps: steps.map { Set($0.split(separator: ",").compactMap { PipelineStep(rawValue: String($0)) }) },
            shard: shard.flatMap(Shard.init), retryFailed: retryFailed, force: Set(force))
    }
}

extension RunLog.Format: ExpressibleByArgument {}
extension PipelineStep: ExpressibleByArgument {}
