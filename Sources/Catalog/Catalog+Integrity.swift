// The catalog's own consistency check (the database half of `vidact catalog check`): SQLite's
// `PRAGMA integrity_check` (pages, indexes, constraints), `PRAGMA foreign_key_check`, and the
// invariant that each run's counts equal its items. The other half, cross-checking feature entries
// against the feature files both ways, needs the feature store and lives in the runner (it lists
// `featureEntries()` and the files and compares).
import Foundation
import GRDB

extension Catalog {
    /// Problems found, one sentence each; empty when the catalog is sound. A check that cannot
    /// even run (SQLite reports the file malformed) is itself reported as a problem; only a busy
    /// database throws.
    public func integrityCheck() throws(CatalogError) -> [String] {
        do {
            return try runChecks()
        } catch  where error.kind == .sql || error.kind == .damaged {
            return ["catalog unreadable: \(error.detail)"]
        }
    }

    private func runChecks() throws(CatalogError) -> [String] {
        try read { db in
            var problems: [String] = []
            let checks: [(name: String, run: (Database) throws -> [String])] = [
                ("integrity_check", Self.sqliteIntegrity), ("foreign_key_check", Self.foreignKeys),
                ("run counts", Self.countMismatches),
            ]
            for check in checks {
                do {
                    problems += try check.run(db)
                } catch {
                    problems.append("\(check.name): could not run: \(Self.message(error))")
                }
            }
            return problems
        }
    }

    private static func sqliteIntegrity(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }.map { "integrity_check: \($0)" }
    }

    private static func foreignKeys(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row in
            let table: String = try row.decode(atIndex: 0)
            let rowID: Int64? = try row.decode(atIndex: 1)
            let parent: String = try row.decode(atIndex: 2)
            return "foreign_key_check: \(table) row \(rowID.map(String.init) ?? "?") refers to a missing \(parent) row"
        }
    }

    private static func countMismatches(_ db: Database) throws -> [String] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT run.id, run.doneCount, run.skippedCount, run.failedCount, run.interruptedCount,
                       COALESCE(SUM(runItem.status = 'done'), 0) AS done,
                       COALESCE(SUM(runItem.status = 'skipped'), 0) AS skipped,
                       COALESCE(SUM(runItem.status = 'failed'), 0) AS failed,
                       COALESCE(SUM(runItem.status = 'interrupted'), 0) AS interrupted
                FROM run LEFT JOIN runItem ON runItem.runID = run.id
                GROUP BY run.id
                """)
        var problems: [String] = []
        for row in rows {
            let recorded = RunCounts(
                done: try row.decode(forColumn: "doneCount"), skipped: try row.decode(forColumn: "skippedCount"),
                failed: try row.decode(forColumn: "failedCount"),
                interrupted: try row.decode(forColumn: "interruptedCount"))
            let actual = RunCounts(
                done: try row.decode(forColumn: "done"), skipped: try row.decode(forColumn: "skipped"),
                failed: try row.decode(forColumn: "failed"), interrupted: try row.decode(forColumn: "interrupted"))
            if recorded != actual {
                let id: String = try row.decode(forColumn: "id")
                problems.append(
                    "run \(id): counts \(Self.describe(recorded)) but its items are \(Self.describe(actual))")
            }
        }
        return problems
    }

    static func describe(_ counts: RunCounts) -> String {
        "done \(counts.done), skipped \(counts.skipped), failed \(counts.failed), interrupted \(counts.interrupted)"
    }
}
