// Claims: an atomic "I am working on this unit now" for shards that share a workdir. Shards
// normally split work by hashing paths (no claim needed); claims are for work any shard may pick
// up (e.g. one `train` unit) and guard against two processes doing the same unit at once.
//
// A claim is a row of `claim`, unique by (step, unit), inserted in one IMMEDIATE transaction, so
// of two racing processes exactly one wins. A claim is released by `recordItem` of the same run
// and unit, by `releaseClaim`, and by `finishRun`. A claim is stale, and taken over, when its run
// is no longer `running`, or its process is certainly dead (same host, no such pid). A claim of
// a live process on another machine is never taken over: after a machine crash, run
// `markInterruptedRuns` there, or finish the run by hand.
import Foundation
import GRDB

/// Who holds a claim.
public struct ClaimHolder: Sendable, Equatable {
    public var runID: String
    public var process: ProcessIdentity
    public var claimedAt: Date
}

/// The answer of `Catalog.claim`.
public enum ClaimOutcome: Sendable, Equatable {
    /// The unit is now claimed by the asking run (it was free, or already its own).
    case claimed
    /// The unit was claimed by a dead process or a finished run; the asking run has it now.
    case takenOver(from: ClaimHolder)
    /// Another live run holds it: do not work on it.
    case heldBy(ClaimHolder)

    /// Whether the asking run may work on the unit.
    public var isOwned: Bool {
        if case .heldBy = self { return false }
        return true
    }
}

extension Catalog {
    /// Claims (step, unit) for run `runID` (one transaction).
    public func claim(
        step: PipelineStep, unit: String, runID: String, process: ProcessIdentity = .current, now: Date = Date()
    ) throws(CatalogError) -> ClaimOutcome {
        try write { db in
            let key: [String: any DatabaseValueConvertible] = ["step": step.rawValue, "unit": unit]
            var outcome = ClaimOutcome.claimed
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT claim.runID, claim.host, claim.pid, claim.claimedAt, run.status FROM claim
                    JOIN run ON run.id = claim.runID WHERE claim.step = ? AND claim.unit = ?
                    """, arguments: [step.rawValue, unit])
            {
                let holder = ClaimHolder(
                    runID: row["runID"], process: ProcessIdentity(host: row["host"], pid: row["pid"]),
                    claimedAt: row["claimedAt"])
                if holder.runID == runID { return .claimed }
                let finished = (row["status"] as String) != RunStatus.running.rawValue
                guard finished || holder.process.isCertainlyDead else { return .heldBy(holder) }
                outcome = .takenOver(from: holder)
                try db.execute(
                    sql: "DELETE FROM claim WHERE step = :step AND unit = :unit", arguments: StatementArguments(key))
            }
            try db.execute(
                sql: "INSERT INTO claim (step, unit, runID, host, pid, claimedAt) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [step.rawValue, unit, runID, process.host, process.pid, now])
            return outcome
        }
    }

    /// Releases run `runID`'s claim on (step, unit), if it holds one.
    public func releaseClaim(step: PipelineStep, unit: String, runID: String) throws(CatalogError) {
        try write { db in
            try db.execute(
                sql: "DELETE FROM claim WHERE step = ? AND unit = ? AND runID = ?",
                arguments: [step.rawValue, unit, runID])
        }
    }

    /// The current holder of (step, unit), if any.
    public func claimHolder(step: PipelineStep, unit: String) throws(CatalogError) -> ClaimHolder? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT runID, host, pid, claimedAt FROM claim WHERE step = ? AND unit = ?",
                    arguments: [step.rawValue, unit])
            else { return nil }
            return ClaimHolder(
                runID: row["runID"], process: ProcessIdentity(host: row["host"], pid: row["pid"]),
                claimedAt: row["claimedAt"])
        }
    }
}
