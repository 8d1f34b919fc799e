// Runs: begin, finish, mark the ones whose process died as interrupted, list, and look up with
// their items. A run id is a UUID; people may name a run by any unique prefix of it.
import Foundation
import GRDB

/// A run and every item recorded for it, in the order they were committed.
public struct RunDetail: Sendable, Equatable {
    public var run: RunRecord
    public var items: [RunItemRecord]
}

extension Catalog {
    /// Records the start of a run by this process and returns it (status `running`).
    public func beginRun(
        configJSON: String, configHash: String, shard: String? = nil, startedAt: Date = Date(),
        process: ProcessIdentity = .current
    ) throws(CatalogError) -> RunRecord {
        let run = RunRecord(
            id: UUID().uuidString, configJSON: configJSON, configHash: configHash, startedAt: startedAt,
            host: process.host, pid: process.pid, shard: shard)
        try write { db in try run.insert(db) }
        return run
    }

    /// Records how run `id` ended. Its counts are already up to date (`recordItem` keeps them).
    @discardableResult
    public func finishRun(_ id: String, status: RunStatus, endedAt: Date = Date()) throws(CatalogError) -> RunRecord {
        try write { db in
            guard var run = try RunRecord.fetchOne(db, key: id) else {
                throw CatalogError(.notFound, path: path, "no run \(id)")
            }
            run.status = status
            run.endedAt = endedAt
            try run.update(db)
            return run
        }
    }

    /// Marks as `interrupted` every run still `running` whose process is certainly dead (same
    /// host, no such pid), ending it at its last item. Returns their ids.
    /// The runner calls this at start, so `vidact runs` never shows a killed run as running.
    @discardableResult
    public func markInterruptedRuns() throws(CatalogError) -> [String] {
        try write { db in
            let running = try RunRecord.filter(Column("status") == RunStatus.running.rawValue).fetchAll(db)
            var marked: [String] = []
            for var run in running where ProcessIdentity(host: run.host, pid: run.pid).isCertainlyDead {
                let items = try RunItemRecord.filter(Column("runID") == run.id).fetchAll(db)
                run.endedAt = items.map { $0.startedAt.addingTimeInterval($0.seconds) }.max() ?? run.startedAt
                run.status = .interrupted
                try run.update(db)
                marked.append(run.id)
            }
            return marked
        }
    }

    /// Runs, newest first; at most `limit` when given.
    public func runs(limit: Int? = nil) throws(CatalogError) -> [RunRecord] {
        try read { db in
            try RunRecord.order(Column("startedAt").desc, Column("id")).limit(limit ?? -1).fetchAll(db)
        }
    }

    /// The run whose id is `id` or starts with `id` (case-insensitive); nil when none.
    /// Throws `ambiguous` when the prefix matches several runs.
    public func run(id: String) throws(CatalogError) -> RunRecord? {
        let prefix = id.uppercased()
        let matches = try read { db in
            try RunRecord.filter(sql: "substr(id, 1, ?) = ?", arguments: [prefix.count, prefix]).limit(2).fetchAll(db)
        }
        if matches.count > 1 {
            throw CatalogError(.ambiguous, path: path, "'\(id)' names more than one run; give more of the id")
        }
        return matches.first
    }

    /// The run named by `id` (or a unique prefix) with all its items; throws `notFound` if none.
    public func runDetail(id: String) throws(CatalogError) -> RunDetail {
        guard let run = try run(id: id) else {
            throw CatalogError(.notFound, path: path, "no run '\(id)' (see `vidact runs`)")
        }
        return RunDetail(run: run, items: try items(runID: run.id))
    }

    /// The items of run `runID`, in commit order.
    public func items(runID: String) throws(CatalogError) -> [RunItemRecord] {
        try read { db in
            try RunItemRecord.filter(Column("runID") == runID).order(Column("id")).fetchAll(db)
        }
    }
}
