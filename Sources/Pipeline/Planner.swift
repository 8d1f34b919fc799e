// Planning is pure: the resolved config, the facts the runner gathered (`PlanState`: video hashes,
// cached volumes, earlier failures, model and prediction state) and the options of the run go in;
// the plan comes out. No files, no FFmpeg, no oneDNN — so every rule below is tested directly.
//
//   extract   one unit per video: done when a valid volume of its content is cached under the
//             extractor key; known-failed when it failed before with the same content (unless
//             --retry-failed); with --shard i/N only the videos whose path hashes to shard i
//   train     one unit per model (name + hash of train settings, extractor key and classes): done
//             when its final checkpoint exists; needs every shard's features, so not run in a
//             shard unless asked with --steps
//   predict   one unit per video to predict (test split, all, or the unlabelled folder): done when
//             the model's prediction for that content exists; blocked until the model exists
//   evaluate  one unit: done when the evaluation for this model and test set exists
//
// `--force STEP` turns that step's done units back to todo; `--steps` limits the run.
import Catalog
import Crypto
import Datasets
import Foundation

/// Facts about the workdir that the plan depends on.
public struct PlanState: Sendable {
    public var videos: [DatasetVideo]
    /// Content SHA-256 by relative path (absent when the file could not be read).
    public var sha256: [String: String]
    /// Content hashes with a valid volume under the extractor key.
    public var cached: Set<String>
    /// Earlier failures by step and unit name: the content hash (or model id) they failed on and why.
    public var failures: [PipelineStep: [String: (fingerprint: String, reason: String)]]
    /// The model id of the train step and whether its final checkpoint exists.
    public var modelID: String?
    public var modelTrained: Bool
    /// Content hashes the current model has predictions for.
    public var predicted: Set<String>
    /// Whether the evaluation of the current model on the current test set exists.
    public var evaluated: Bool

    public init(
        videos: [DatasetVideo], sha256: [String: String], cached: Set<String>,
        failures: [PipelineStep: [String: (fingerprint: String, reason: String)]] = [:], modelID: String? = nil,
        modelTrained: Bool = false, predicted: Set<String> = [], evaluated: Bool = false
    ) {
        self.videos = videos
        self.sha256 = sha256
        self.cached = cached
        self.failures = failures
        self.modelID = modelID
        self.modelTrained = modelTrained
        self.predicted = predicted
        self.evaluated = evaluated
    }
}

/// `--shard i/N`: this process does the videos whose relative path hashes to i.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index), "Shard: \(index)/\(count)")
        self.index = index
        self.count = count
    }

    /// Parses "i/N" with 0 ≤ i < N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else {
            return nil
        }
        self.init(index: i, count: n)
    }

    /// The shard of a relative path: the first 8 bytes of its SHA-256 modulo N.
    public static func of(_ relativePath: String, count: Int) -> Int {
        let digest = Array(SHA256.hash(data: Data(relativePath.utf8)))
        return Int(digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } % UInt64(count))
    }

    public func owns(_ relativePath: String) -> Bool { Self.of(relativePath, count: count) == index }

    public var description: String { "\(index)/\(count)" }
}

/// Options of one run.
public struct PlanOptions: Sendable, Equatable {
    /// Steps to run; nil for all the file defines.
    public var steps: Set<PipelineStep>?
    public var shard: Shard?
    public var retryFailed: Bool
    public var force: Set<PipelineStep>

    public init(
        steps: Set<PipelineStep>? = nil, shard: Shard? = nil, retryFailed: Bool = false, force: Set<PipelineStep> = []
    ) {
        self.steps = steps
        self.shard = shard
        self.retryFailed = retryFailed
        self.force = force
    }
}

public enum Planner {
    public static func plan(_ config: PipelineConfig, state: PlanState, options: PlanOptions = PlanOptions()) -> Plan {
        var steps: [StepPlan] = []
        for step in config.steps {
            var plan = StepPlan(step: step, units: units(step, config: config, state: state, options: options))
            if let wanted = options.steps, !wanted.contains(step) {
                plan.skippedBecause = "not in --steps"
            } else if options.shard != nil && (step == .train || step == .evaluate)
                && options.steps?.contains(step) != true
            {
                plan.skippedBecause =
                    "needs every shard's output: run it without --shard, or ask with --steps \(step.rawValue)"
            }
            steps.append(plan)
        }
        return Plan(steps: steps)
    }

    static func units(
        _ step: PipelineStep, config: PipelineConfig, state: PlanState, options: PlanOptions
    ) -> [PlanUnit] {
        let forced = options.force.contains(step)
        func failure(_ name: String, fingerprint: String?) -> UnitStatus? {
            guard !options.retryFailed, let failure = state.failures[step]?[name],
                fingerprint == nil || failure.fingerprint == fingerprint
            else { return nil }
            return .knownFailed(failure.reason)
        }
        switch step {
        case .extract:
            return videos(state.videos, options).map { video in
                // An unreadable video stays to do (it will fail and be recorded) unless it failed before.
                let sha = state.sha256[video.relativePath]
                if let sha, state.cached.contains(sha), !forced {
                    return PlanUnit(step: step, name: video.relativePath, status: .done)
                }
                return PlanUnit(
                    step: step, name: video.relativePath, status: failure(video.relativePath, fingerprint: sha) ?? .todo
                )
            }
        case .train:
            let id = state.modelID ?? config.train?.name ?? "model"
            let status: UnitStatus = state.modelTrained && !forced ? .done : failure(id, fingerprint: id) ?? .todo
            return [PlanUnit(step: step, name: id, status: status)]
        case .predict:
            let selection = config.predict?.videos ?? .test
            let chosen = state.videos.filter { video in
                selection == .all || config.dataset.layout == .unlabelled || video.split == .test
            }
            return videos(chosen, options).map { video in
                guard state.modelTrained else {
                    return PlanUnit(
                        step: step, name: video.relativePath, status: .blocked("the model is not trained yet"))
                }
                if let sha = state.sha256[video.relativePath], state.predicted.contains(sha), !forced {
                    return PlanUnit(step: step, name: video.relativePath, status: .done)
                }
                return PlanUnit(step: step, name: video.relativePath, status: .todo)
            }
        case .evaluate:
            let status: UnitStatus =
                state.evaluated && !forced
                ? .done : state.modelTrained ? .todo : .blocked("the model is not trained yet")
            return [
                PlanUnit(step: step, name: "evaluate:\((config.evaluate?.split ?? .test).rawValue)", status: status)
            ]
        }
    }

    static func videos(_ videos: [DatasetVideo], _ options: PlanOptions) -> [DatasetVideo] {
        guard let shard = options.shard else { return videos }
        return videos.filter { shard.owns($0.relativePath) }
    }
}
