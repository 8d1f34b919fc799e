// One attempt at one unit of work inside a run: which step and unit (a video path or a model
// name), how it ended, why it failed (error kind and message), when it started and how long it
// took, and for extraction the decoded vs header frame counts. Every attempt is kept: a unit
// retried in a later run has one row per run.
import Foundation
import GRDB

/// The pipeline steps whose units the catalog records.
public enum PipelineStep: String, Sendable, Codable, CaseIterable {
    case extract, train, predict, evaluate
}

/// How one attempt at a unit ended.
public enum ItemStatus: String, Sendable, Codable, CaseIterable {
    /// The unit's output was produced and validated.
    case done
    /// The output already existed and validated (or an earlier failure is not retried).
    case skipped
    /// The unit failed; `errorKind` and `errorMessage` say why.
    case failed
    /// The run was stopped (signal) while the unit was in progress.
    case interrupted
}

/// One row of the `runItem` table.
public struct RunItemRecord: Sendable, Equatable {
    /// Assigned by the catalog on insert.
    public var id: Int64?
    public var runID: String
    public var step: PipelineStep
    /// A video path (extract, predict) or a model name (train, evaluate).
    public var unit: String
    public var status: ItemStatus
    /// A stable machine-readable reason (e.g. a `DecodeError` kind) when failed.
    public var errorKind: String?
    /// The message for people when failed.
    public var errorMessage: String?
    public var startedAt: Date
    public var seconds: Double
    /// Frames actually decoded (extract only).
    public var decodedFrames: Int?
    /// Frames the container header announced (extract only).
    public var headerFrames: Int?
    /// What the unit worked on (a video's content SHA-256, a model id), so a failure is retried by
    /// default once its input changed.
    public var fingerprint: String?

    public init(
        id: Int64? = nil, runID: String, step: PipelineStep, unit: String, status: ItemStatus,
        errorKind: String? = nil, errorMessage: String? = nil, startedAt: Date, seconds: Double,
        decodedFrames: Int? = nil, headerFrames: Int? = nil, fingerprint: String? = nil
    ) {
        self.id = id
        self.runID = runID
        self.step = step
        self.unit = unit
        self.status = status
        self.errorKind = errorKind
        self.errorMessage = errorMessage
        self.startedAt = startedAt
        self.seconds = seconds
        self.decodedFrames = decodedFrames
        self.headerFrames = headerFrames
        self.fingerprint = fingerprint
    }
}

extension RunItemRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "runItem"

    public init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        runID = try row.decode(forColumn: "runID")
        step = try RunRecord.decode(PipelineStep.self, try row.decode(forColumn: "step"))
        unit = try row.decode(forColumn: "unit")
        status = try RunRecord.decode(ItemStatus.self, try row.decode(forColumn: "status"))
        errorKind = try row.decode(forColumn: "errorKind")
        errorMessage = try row.decode(forColumn: "errorMessage")
        startedAt = try row.decodeDate("startedAt")
        seconds = try row.decode(forColumn: "seconds")
        decodedFrames = try row.decode(forColumn: "decodedFrames")
        headerFrames = try row.decode(forColumn: "headerFrames")
        fingerprint = try row.decode(forColumn: "fingerprint")
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["runID"] = runID
        container["step"] = step.rawValue
        container["unit"] = unit
        container["status"] = status.rawValue
        container["errorKind"] = errorKind
        container["errorMessage"] = errorMessage
        container["startedAt"] = startedAt
        container["seconds"] = seconds
        container["decodedFrames"] = decodedFrames
        container["headerFrames"] = headerFrames
        container["fingerprint"] = fingerprint
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
