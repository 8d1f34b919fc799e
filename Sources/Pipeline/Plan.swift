// What a run would do: for each step, its units and whether each is to do, already done, or a
// known failure that is not retried without `--retry-failed`. Made by `Planner` (pure), printed by
// `vidact plan`, executed by `PipelineRunner`.
import Catalog

/// The state of one unit in a plan.
public enum UnitStatus: Sendable, Equatable {
    case todo
    case done
    /// Failed in an earlier run with this reason; skipped unless `--retry-failed`.
    case knownFailed(String)
    /// Waiting for an earlier step (e.g. predict before the model exists).
    case blocked(String)

    public var label: String {
        switch self {
        case .todo: "todo"
        case .done: "done"
        case .knownFailed: "known-failed"
        case .blocked: "blocked"
        }
    }
}

/// One unit of work: a video through extract or predict, a model through train, an evaluation.
public struct PlanUnit: Sendable, Equatable {
    public var step: PipelineStep
    /// The video's relative path, or the model's id.
    public var name: String
    public var status: UnitStatus

    public init(step: PipelineStep, name: String, status: UnitStatus) {
        self.step = step
        self.name = name
        self.status = status
    }
}

/// The units of one step.
public struct StepPlan: Sendable, Equatable {
    public var step: PipelineStep
    public var units: [PlanUnit]
    /// Why the step is left out of this run (not requested, needs all shards, …), or nil.
    public var skippedBecause: String?

    public func count(_ label: String) -> Int { units.filter { $0.status.label == label }.count }
}

/// A whole plan.
public struct Plan: Sendable, Equatable {
    public var steps: [StepPlan]

    public func step(_ step: PipelineStep) -> StepPlan? { steps.first { $0.step == step } }

    /// Units to do in the steps that run.
    public var todo: Int {
        steps.filter { $0.skippedBecause == nil }.reduce(0) { $0 + $1.count("todo") + $1.count("blocked") }
    }

    /// "extract: 2 to do, 10 done, 1 known-failed" per step.
    public var summary: [String] {
        steps.map { step in
            if let reason = step.skippedBecause { return "\(step.step.rawValue): not run (\(reason))" }
            var parts = ["\(step.count("todo")) to do", "\(step.count("done")) done"]
            if step.count("known-failed") > 0 { parts.append("\(step.count("known-failed")) known-failed") }
            if step.count("blocked") > 0 { parts.append("\(step.count("blocked")) waiting for an earlier step") }
            return "\(step.step.rawValue): " + parts.joined(separator: ", ")
        }
    }
}
