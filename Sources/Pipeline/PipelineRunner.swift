// `vidact run`: plan, then execute, step by step, recording every attempt in the catalog. The
// workdir is locked for the run (`WorkdirLock`); the plan of each step is made just before it runs
// from the current facts (`PlanState`), so a step sees the outputs of the steps before it. One bad
// video never stops a step: its unit is recorded as failed with its reason and the run goes on;
// the exit status says that some units failed. Units are atomic (volumes, checkpoints, prediction
// rows and the predictions files are written whole or not at all), so a run killed at any moment
// resumes with nothing redone.
import Catalog
import ConvNets
import Datasets
import FeatureStore
import Foundation
import SequenceModels
import Training

/// What a run did.
public struct RunReport: Sendable {
    public var runID: String
    public var counts: [PipelineStep: (done: Int, skipped: Int, failed: Int)]
    public var failures: [(step: PipelineStep, unit: String, reason: String, errno: Int32?)]
    public var evaluation: EvaluationReport?
    public var baselineAccuracy: Double?
    /// The caption task's evaluation (and its baseline's), the headline figures.
    public var captionEvaluation: CaptionEvaluationSummary?
    public var seconds: Double

    public var failed: Int { counts.values.reduce(0) { $0 + $1.failed } }
    public var executed: Int { counts.values.reduce(0) { $0 + $1.done + $1.failed } }
}

/// The headline figures of a caption model's evaluation.
public struct CaptionEvaluationSummary: Sendable {
    public var videos: Int
    public var bleu4: Double
    public var rougeL: Double
    public var ciderD: Double
    public var exactMatch: Double?
    public var orderAccuracy: Double?
    public var baseline: [CaptionEvaluationSummary]

    /// From the object `evaluateCaptions` writes.
    init(_ object: [String: Any]) {
        videos = object["videos"] as? Int ?? 0
        bleu4 = (object["bleu"] as? [Double])?.last ?? 0
        rougeL = object["rouge_l"] as? Double ?? 0
        ciderD = object["cider_d"] as? Double ?? 0
        exactMatch = object["exact_match"] as? Double
        orderAccuracy = object["order_accuracy"] as? Double
        baseline = (object["baseline"] as? [String: Any]).map { [CaptionEvaluationSummary($0)] } ?? []
    }
}

public final class PipelineRunner {
    public let config: PipelineConfig
    public let options: PlanOptions
    public let log: RunLog
    let dataset: ResolvedDataset
    let store: FeatureStore
    let catalog: Catalog
    /// The workdir's (device, inode) when the run began: if the folder is removed or replaced
    /// mid-run, the catalog this run holds open is a deleted file and its outputs would land in a
    /// fresh folder without it, so the run stops instead (`checkWorkdir`).
    let workdirIdentity: FileIdentity
    let toolVersion: String
    /// Computed once: the SHA-256 of the weights file and the extractor spec it gives.
    public let weightsSHA256: String
    /// The checksum of the int8 calibration file; nil for f32.
    public let calibrationIdentity: String?
    public let spec: ExtractorSpec
    /// Content hashes found in this runner's life, by path: every step needs them, and a video
    /// does not change under a run, so each is looked up (catalog or bytes) once.
    var knownHashes: [String: String] = [:]

    public init(config: PipelineConfig, options: PlanOptions, log: RunLog, toolVersion: String) throws {
        self.config = config
        self.options = options
        self.log = log
        self.toolVersion = toolVersion
        dataset = try DatasetResolver.resolve(config.dataset)
        try FileManager.default.createDirectory(atPath: config.workdir, withIntermediateDirectories: true)
        workdirIdentity = try FileIdentity.of(path: config.workdir)
        store = FeatureStore(workdir: config.workdir)
        catalog = try Catalog(path: Catalog.path(workdir: config.workdir))
        let weights = config.extract.weights
        guard FileManager.default.fileExists(atPath: weights) else {
            if let search = config.modelSearch {
                throw PipelineConfigError(
                    file: config.file, line: nil,
                    "no models folder holds \((weights as NSString).lastPathComponent) (\(search.summary)); "
                        + "install vidact (scripts/install), set $VIDACT_MODELS or extract.models, "
                        + "or run scripts/fetch-weights in a checkout")
            }
            throw PipelineConfigError(
                file: config.file, line: nil,
                "the weights file \(weights) does not exist; run scripts/fetch-weights (scripts/bootstrap does) "
                    + "or set extract.weights")
        }
        weightsSHA256 = try ContentHash.sha256(path: weights)
        if config.extract.precision == .int8, let calibration = config.extract.calibration {
            do {
                calibrationIdentity = try Int8Calibration.load(path: calibration, backbone: config.extract.backbone)
                    .identity
            } catch let error as ClassifierError {
                throw PipelineConfigError(
                    file: config.file, line: nil,
                    "extract.calibration: \(error) (scripts/fetch-weights copies the shipped one into models/)")
            }
        } else {
            calibrationIdentity = nil
        }
        spec = config.extract.spec(weightsSHA256: weightsSHA256, calibrationIdentity: calibrationIdentity)
    }

    /// The plan of every step from the current state, without running anything (`vidact plan`).
    public func plan() throws -> Plan {
        Planner.plan(config, state: try state(recordVideos: false), options: options)
    }

    /// Runs the plan. Throws `WorkdirLockedError` when another runner holds the workdir.
    public func run() throws -> RunReport {
        let lock = try WorkdirLock(workdir: config.workdir, shard: options.shard)
        defer { withExtendedLifetime(lock) {} }
        let start = Date()
        _ = try catalog.markInterruptedRuns()
        let record = try catalog.beginRun(
            configJSON: config.canonicalJSON, configHash: config.hash, shard: options.shard?.description)
        let signals = RunSignals(catalog: catalog, runID: record.id, log: log)
        defer { signals.stop() }
        var report = RunReport(
            runID: record.id, counts: [:], failures: [], evaluation: nil, baselineAccuracy: nil, seconds: 0)
        log.event(
            "run", ["run": record.id, "workdir": config.workdir, "config_hash": config.hash, "extractor_key": spec.key])
        store.sweepTemporaries()
        for step in config.steps {
            let plan = Planner.plan(config, state: try state(recordVideos: step == .extract), options: options)
            guard let stepPlan = plan.step(step) else { continue }
            if let reason = stepPlan.skippedBecause {
                log.event("step", ["step": step.rawValue, "skipped": reason])
                continue
            }
            log.event(
                "step", ["step": step.rawValue, "plan": plan.summary.first { $0.hasPrefix(step.rawValue) } ?? ""])
            let units = stepPlan.units.filter { $0.status == .todo }
            var counts = (done: 0, skipped: stepPlan.units.count - units.count, failed: 0)
            let outcomes = try execute(step, units: units, runID: record.id, report: &report)
            for outcome in outcomes {
                if let reason = outcome.reason {
                    counts.failed += 1
                    report.failures.append((step, outcome.unit, reason, outcome.errno))
                } else {
                    counts.done += 1
                }
            }
            report.counts[step] = counts
        }
        report.seconds = Date().timeIntervalSince(start)
        try catalog.finishRun(record.id, status: report.failed > 0 ? .failed : .completed)
        return report
    }

    /// One executed unit: nil reason when done.
    struct UnitOutcome {
        var unit: String
        var reason: String?
        /// The errno behind a failure, when a system call failed.
        var errno: Int32? = nil
    }

    func execute(
        _ step: PipelineStep, units: [PlanUnit], runID: String, report: inout RunReport
    ) throws -> [UnitOutcome] {
        guard !units.isEmpty else { return [] }
        switch step {
        case .extract: return try extract(units, runID: runID)
        case .train: return try train(units, runID: runID, report: &report)
        case .predict: return try predict(units, runID: runID)
        case .evaluate: return try evaluate(units, runID: runID, report: &report)
        }
    }

    /// The error kind of a failure the environment caused (a full disk): recorded like any failure,
    /// but never "known failed" — the next run tries the unit again (`PipelineRunner+State`).
    static let diskFullKind = "diskFull"

    /// `kind`, or `diskFullKind` when the failure's errno says the disk is full.
    static func failureKind(_ kind: String?, errno: Int32?) -> String? {
        errno == ENOSPC || errno == EDQUOT ? diskFullKind : kind
    }

    /// Throws when the workdir is no longer the folder the run started in (removed, moved away or
    /// replaced): nothing this run writes from then on would be kept with the workdir's catalog.
    func checkWorkdir() throws {
        let now = try? FileIdentity.of(path: config.workdir)
        guard let now, now.inode == workdirIdentity.inode, now.device == workdirIdentity.device else {
            throw WorkdirVanishedError(workdir: config.workdir)
        }
    }

    /// Records one unit's attempt (one transaction), after checking that the workdir is still there.
    func record(
        _ step: PipelineStep, _ unit: String, runID: String, started: Date, reason: String?, kind: String? = nil,
        fingerprint: String? = nil, decoded: Int? = nil, header: Int? = nil
    ) throws {
        try checkWorkdir()
        _ = try catalog.recordItem(
            RunItemRecord(
                runID: runID, step: step, unit: unit, status: reason == nil ? .done : .failed,
                errorKind: reason == nil ? nil : (kind ?? "error"), errorMessage: reason, startedAt: started,
                seconds: Date().timeIntervalSince(started), decodedFrames: decoded, headerFrames: header,
                fingerprint: fingerprint))
        log.event(
            "unit",
            ["step": step.rawValue, "unit": unit, "status": reason == nil ? "done" : "failed", "reason": reason ?? ""])
    }
}
