// Several writers on one catalog, each with its own connection pool (as separate shard processes
// would have): no item is lost or duplicated, counts match, and writers wait for each other's
// transactions instead of failing. Claims: of racing claimers exactly one wins; stale claims of
// dead processes and finished runs are taken over, live ones are not.
import Catalog
import Foundation
import Testing

struct ConcurrencyTests {
    @Test(arguments: CatalogOptions.JournalMode.allCases)
    func concurrentWritersLoseNothing(mode: CatalogOptions.JournalMode) throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writers = 4
        let itemsEach = 100
        let options = CatalogOptions(journalMode: mode)
        let runIDs = try (0..<writers).map { _ in
            try Catalog(workdir: dir, options: options).beginRun(configJSON: "{}", configHash: "h").id
        }
        let failures = Locked([String]())
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            do {
                let catalog = try Catalog(workdir: dir, options: options)
                for index in 0..<itemsEach {
                    let status: ItemStatus = index % 3 == 0 ? .failed : .done
                    try catalog.recordItem(CatalogTestSupport.item(runIDs[writer], "/v/\(writer)/\(index).mp4", status))
                }
            } catch {
                failures.withLock { $0.append("writer \(writer): \(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let catalog = try Catalog(workdir: dir, options: options)
        for runID in runIDs {
            let detail = try catalog.runDetail(id: runID)
            #expect(detail.items.count == itemsEach)
            #expect(Set(detail.items.map(\.unit)).count == itemsEach)
            #expect(detail.run.counts == RunCounts(done: 66, failed: 34))
        }
        #expect(try catalog.integrityCheck() == [])
    }

    @Test func exactlyOneOfRacingClaimersWins() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let claimers = 4
        let units = 25
        let runIDs = try (0..<claimers).map { _ in
            try Catalog(workdir: dir).beginRun(configJSON: "{}", configHash: "h").id
        }
        let owned = Locked([String: [String]]())
        DispatchQueue.concurrentPerform(iterations: claimers) { claimer in
            guard let catalog = try? Catalog(workdir: dir) else { return }
            for unit in 0..<units {
                let name = "model-\(unit)"
                if let outcome = try? catalog.claim(step: .train, unit: name, runID: runIDs[claimer]), outcome.isOwned {
                    owned.withLock { $0[name, default: []].append(runIDs[claimer]) }
                }
            }
        }
        let result = owned.withLock { $0 }
        #expect(result.count == units)
        #expect(result.values.allSatisfy { $0.count == 1 }, "\(result)")
        let catalog = try Catalog(workdir: dir)
        for (unit, holders) in result {
            #expect(try catalog.claimHolder(step: .train, unit: unit)?.runID == holders.first)
        }
    }

    @Test func staleClaimsAreTakenOverAndLiveOnesAreNot() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(workdir: dir)
        let here = ProcessIdentity.current
        let dead = ProcessIdentity(host: here.host, pid: 9_999_999)
        let remote = ProcessIdentity(host: here.host + "-other", pid: 1)
        let deadRun = try catalog.beginRun(configJSON: "{}", configHash: "h", process: dead)
        let remoteRun = try catalog.beginRun(configJSON: "{}", configHash: "h", process: remote)
        let finishedRun = try catalog.beginRun(configJSON: "{}", configHash: "h")
        let mine = try catalog.beginRun(configJSON: "{}", configHash: "h")
        #expect(try catalog.claim(step: .train, unit: "a", runID: deadRun.id, process: dead) == .claimed)
        #expect(try catalog.claim(step: .train, unit: "b", runID: remoteRun.id, process: remote) == .claimed)
        #expect(try catalog.claim(step: .train, unit: "c", runID: finishedRun.id) == .claimed)
        try catalog.finishRun(finishedRun.id, status: .completed)
        // Finishing released c; a and b are still held.
        #expect(try catalog.claimHolder(step: .train, unit: "c") == nil)
        guard case .takenOver(let from) = try catalog.claim(step: .train, unit: "a", runID: mine.id) else {
            Issue.record("the dead process's claim was not taken over")
            return
        }
        #expect(from.runID == deadRun.id && from.process == dead)
        guard case .heldBy(let holder) = try catalog.claim(step: .train, unit: "b", runID: mine.id) else {
            Issue.record("a live remote claim was taken over")
            return
        }
        #expect(holder.runID == remoteRun.id)
        #expect(try catalog.claim(step: .train, unit: "a", runID: mine.id) == .claimed)
        // Recording the item releases the claim.
        try catalog.recordItem(CatalogTestSupport.item(mine.id, "a", .done, step: .train))
        #expect(try catalog.claimHolder(step: .train, unit: "a") == nil)
    }
}
