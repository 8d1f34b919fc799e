// Planning is pure: plans from hand-made states, without FFmpeg, oneDNN or files.
import Catalog
import Testing

@testable import Datasets
@testable import Pipeline

struct PlannerTests {
    static let config = parse(
        """
        version: 1
        dataset: {layout: folder_per_class, root: /v}
        train: {task: clip}
        predict: {}
        evaluate: {}
        """, file: "/p/demo.yaml")

    /// The config of `text` (a file these tests control, so it parses).
    static func parse(_ text: String, file: String) -> PipelineConfig {
        do {
            return try PipelineConfig.parse(text, file: file)
        } catch {
            fatalError("PlannerTests: \(error)")
        }
    }

    static func video(_ name: String, _ split: DataSplit) -> DatasetVideo {
        DatasetVideo(path: "/v/" + name, relativePath: name, label: "a", split: split)
    }

    static let videos = [video("a/1.mp4", .train), video("a/2.mp4", .test), video("a/3.mp4", .test)]
    static let hashes = ["a/1.mp4": "h1", "a/2.mp4": "h2", "a/3.mp4": "h3"]

    func statuses(_ plan: Plan, _ step: PipelineStep) -> [String] {
        plan.step(step)?.units.map { "\($0.name)=\($0.status.label)" } ?? []
    }

    @Test func aFreshWorkdirHasEverythingToDo() {
        let plan = Planner.plan(Self.config, state: PlanState(videos: Self.videos, sha256: Self.hashes, cached: []))
        #expect(statuses(plan, .extract) == ["a/1.mp4=todo", "a/2.mp4=todo", "a/3.mp4=todo"])
        #expect(statuses(plan, .train) == ["lstm=todo"])
        #expect(statuses(plan, .predict) == ["a/2.mp4=blocked", "a/3.mp4=blocked"])
        #expect(statuses(plan, .evaluate) == ["evaluate:test=blocked"])
        #expect(plan.summary[0] == "extract: 3 to do, 0 done")
    }

    @Test func doneUnitsAreSkippedAndNewOnesPlanned() {
        var state = PlanState(
            videos: Self.videos, sha256: Self.hashes, cached: ["h1", "h2"], modelID: "lstm-1", modelTrained: true,
            predicted: ["h2"], evaluated: true)
        var plan = Planner.plan(Self.config, state: state)
        #expect(statuses(plan, .extract) == ["a/1.mp4=done", "a/2.mp4=done", "a/3.mp4=todo"])
        #expect(statuses(plan, .train) == ["lstm-1=done"])
        #expect(statuses(plan, .predict) == ["a/2.mp4=done", "a/3.mp4=todo"])
        // A changed video (new hash) is extracted and predicted again.
        state.sha256["a/2.mp4"] = "h2-changed"
        plan = Planner.plan(Self.config, state: state)
        #expect(statuses(plan, .extract)[1] == "a/2.mp4=todo")
        #expect(statuses(plan, .predict)[0] == "a/2.mp4=todo")
    }

    @Test func knownFailuresAreNotRetriedUnlessAskedOrChanged() {
        var state = PlanState(
            videos: Self.videos, sha256: Self.hashes, cached: [], failures: [.extract: ["a/1.mp4": ("h1", "corrupt")]])
        #expect(statuses(Planner.plan(Self.config, state: state), .extract)[0] == "a/1.mp4=known-failed")
        let retry = Planner.plan(Self.config, state: state, options: PlanOptions(retryFailed: true))
        #expect(statuses(retry, .extract)[0] == "a/1.mp4=todo")
        state.sha256["a/1.mp4"] = "h1-fixed"
        #expect(statuses(Planner.plan(Self.config, state: state), .extract)[0] == "a/1.mp4=todo")
    }

    @Test func shardsSplitTheVideosAndLeaveTheAllShardStepsOut() {
        let many = (0..<40).map { Self.video("a/\($0).mp4", .train) }
        let state = PlanState(videos: many, sha256: [:], cached: [])
        var seen: [String] = []
        for index in 0..<3 {
            let plan = Planner.plan(
                Self.config, state: state, options: PlanOptions(shard: Shard(index: index, count: 3)))
            seen += plan.step(.extract)!.units.map(\.name)
            #expect(plan.step(.train)?.skippedBecause != nil)
            #expect(plan.step(.evaluate)?.skippedBecause != nil)
        }
        #expect(seen.sorted() == many.map(\.relativePath).sorted(), "every video in exactly one shard")
        #expect(Shard("1/3") == Shard(index: 1, count: 3) && Shard("3/3") == nil && Shard("x") == nil)
    }

    @Test func stepsAndForce() {
        let state = PlanState(
            videos: Self.videos, sha256: Self.hashes, cached: ["h1", "h2", "h3"], modelID: "m", modelTrained: true)
        let onlyExtract = Planner.plan(Self.config, state: state, options: PlanOptions(steps: [.extract]))
        #expect(onlyExtract.step(.train)?.skippedBecause == "not in --steps")
        #expect(onlyExtract.todo == 0)
        let forced = Planner.plan(Self.config, state: state, options: PlanOptions(force: [.extract, .train]))
        #expect(statuses(forced, .extract) == ["a/1.mp4=todo", "a/2.mp4=todo", "a/3.mp4=todo"])
        #expect(statuses(forced, .train) == ["m=todo"])
    }
}
