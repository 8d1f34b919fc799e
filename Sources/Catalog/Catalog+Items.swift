// Run items: recording one attempt at a unit, and asking how a unit's last attempt ended (the
// `--retry-failed` rule: a unit whose last real attempt failed is not retried unless asked).
//
// `recordItem` is one transaction: insert the item and add it to its run's counts. So after any crash the run's counts equal its committed items and a
// committed item is never half-written.
import Foundation
import GRDB

extension Catalog {
    /// Records one attempt (one transaction) and returns it with its id.
    @discardableResult
    public func recordItem(_ item: RunItemRecord) throws(CatalogError) -> RunItemRecord {
        try write { db in
            var item = item
            try item.insert(db)
            let column = Self.countColumn(item.status)
            try db.execute(sql: "UPDATE run SET \(column) = \(column) + 1 WHERE id = ?", arguments: [item.runID])
            return item
        }
    }

    /// The latest recorded attempt at (step, unit) that was not a skip, in any run; nil if none.
    public func lastAttempt(step: PipelineStep, unit: String) throws(CatalogError) -> RunItemRecord? {
        try read { db in
            try RunItemRecord
                .filter(Column("step") == step.rawValue && Column("unit") == unit)
                .filter(Column("status") != ItemStatus.skipped.rawValue)
                .order(Column("id").desc).fetchOne(db)
        }
    }

    /// The last attempt at (step, unit) when it failed: a unit that failed before and has not
    /// succeeded since. Skips recorded in between (a failure not retried) do not hide it.
    public func lastFailure(step: PipelineStep, unit: String) throws(CatalogError) -> RunItemRecord? {
        guard let last = try lastAttempt(step: step, unit: unit), last.status == .failed else { return nil }
        return last
    }

    /// `lastFailure` for every unit of `step` at once, keyed by unit (for planning a whole batch).
    public func lastFailures(step: PipelineStep) throws(CatalogError) -> [String: RunItemRecord] {
        try read { db in
            let items = try RunItemRecord.fetchAll(
                db,
                sql: """
                    SELECT runItem.* FROM runItem
                    JOIN (SELECT MAX(id) AS lastID FROM runItem
                          WHERE step = ? AND status != 'skipped' GROUP BY unit) AS latest
                      ON runItem.id = latest.lastID
                    WHERE runItem.status = 'failed'
                    """, arguments: [step.rawValue])
            return Dictionary(items.map { ($0.unit, $0) }, uniquingKeysWith: { _, last in last })
        }
    }

    static func countColumn(_ status: ItemStatus) -> String {
        switch status {
        case .done: return "doneCount"
        case .skipped: return "skippedCount"
        case .failed: return "failedCount"
        case .interrupted: return "interruptedCount"
        }
    }
}
