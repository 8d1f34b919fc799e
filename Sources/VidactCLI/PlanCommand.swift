// `vidact plan PIPELINE` prints the resolved config and what `run` would do (per step: units to
// do, done, known-failed), without doing it; `vidact dump-config PIPELINE` prints the resolved
// config with every default filled in.
import ArgumentParser
import Foundation
import Pipeline

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Show what `vidact run` would do, without doing it.")

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @OptionGroup var plan: PlanOptionGroup

    @Flag(help: "List every unit, not only the counts.")
    var units = false

    mutating func run() throws {
        let config = try PipelineConfig.load(path: pipeline)
        let runner = try PipelineRunner(
            config: config, options: try plan.options(), log: RunLog(format: .text), toolVersion: VidactVersion.string)
        let plan = try runner.plan()
        print("pipeline \(config.file) (config \(config.hash.prefix(12)))")
        print("workdir  \(config.workdir)")
        print("extractor \(runner.spec.key): \(runner.spec.summary)")
        for (line, step) in zip(plan.summary, plan.steps) {
            print(line)
            guard units else { continue }
            for unit in step.units {
                var detail = ""
                if case .knownFailed(let reason) = unit.status { detail = " — \(reason)" }
                if case .blocked(let reason) = unit.status { detail = " — \(reason)" }
                print("  \(unit.status.label) \(unit.name)\(detail)")
            }
        }
    }
}

struct DumpConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump-config", abstract: "Print the pipeline file resolved, with every default filled in.")

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    mutating func run() throws {
        print(try PipelineConfig.load(path: pipeline).yaml)
    }
}
