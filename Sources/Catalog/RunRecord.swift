// One execution of a pipeline by one process: the resolved configuration and its hash, when it
// started and ended, how it ended, where it ran (host, pid, shard), and how many items were done,
// skipped and failed. The counts are updated in the same transaction as each item
// (`Catalog.recordItem`), so they always equal the run's items, even after a crash.
import Foundation
import GRDB

/// How a run ended; `running` until `Catalog.finishRun` (or `markInterruptedRuns`) says otherwise.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case running, completed, failed, interrupted
}

/// Item counts of a run, by item status.
public struct RunCounts: Sendable, Equatable, Codable {
    public var done: Int
    public var skipped: Int
    public var failed: Int
    public var interrupted: Int

    public init(done: Int = 0, skipped: Int = 0, failed: Int = 0, interrupted: Int = 0) {
        self.done = done
        self.skipped = skipped
        self.failed = failed
        self.interrupted = interrupted
    }

    public var total: Int { done + skipped + failed + interrupted }
}

/// One row of the `run` table.
public struct RunRecord: Sendable, Equatable {
    /// A UUID (uppercase text), chosen by `Catalog.beginRun`.
    public var id: String
    /// The resolved pipeline configuration as JSON.
    public var configJSON: String
    /// Hash of the canonical configuration (computed by the runner).
    public var configHash: String
    public var startedAt: Date
    public var endedAt: Date?
    public var status: RunStatus
    public var host: String
    public var pid: Int32
    /// "i/N" when the run is one shard of N, nil otherwise.
    public var shard: String?
    public var counts: RunCounts

    public init(
        id: String, configJSON: String, configHash: String, startedAt: Date, endedAt: Date? = nil,
        status: RunStatus = .running, host: String, pid: Int32, shard: String? = nil, counts: RunCounts = RunCounts()
    ) {
        self.id = id
        self.configJSON = configJSON
        self.configHash = configHash
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.status = status
        self.host = host
        self.pid = pid
        self.shard = shard
        self.counts = counts
    }

    /// Seconds from start to end (to now while running).
    public func seconds(now: Date = Date()) -> Double {
        (endedAt ?? now).timeIntervalSince(startedAt)
    }
}

extension RunRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "run"

    public init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        configJSON = try row.decode(forColumn: "configJSON")
        configHash = try row.decode(forColumn: "configHash")
        startedAt = try row.decodeDate("startedAt")
        endedAt = try row.decodeDateIfPresent("endedAt")
        status = try Self.decode(RunStatus.self, try row.decode(forColumn: "status"))
        host = try row.decode(forColumn: "host")
        pid = try row.decode(forColumn: "pid")
        shard = try row.decode(forColumn: "shard")
        counts = RunCounts(
            done: try row.decode(forColumn: "doneCount"), skipped: try row.decode(forColumn: "skippedCount"),
            failed: try row.decode(forColumn: "failedCount"),
            interrupted: try row.decode(forColumn: "interruptedCount"))
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["configJSON"] = configJSON
        container["configHash"] = configHash
        container["startedAt"] = startedAt
        container["endedAt"] = endedAt
        container["status"] = status.rawValue
        container["host"] = host
        container["pid"] = pid
        container["shard"] = shard
        container["doneCount"] = counts.done
        container["skippedCount"] = counts.skipped
        container["failedCount"] = counts.failed
        container["interruptedCount"] = counts.interrupted
    }

    /// A text column holding one of `E`'s raw values (the schema's CHECK constraints guarantee it).
    static func decode<E: RawRepresentable>(_ type: E.Type, _ text: String) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: text) else {
            throw DatabaseError(resultCode: .SQLITE_MISMATCH, message: "unknown \(E.self) '\(text)'")
        }
        return value
    }
}
