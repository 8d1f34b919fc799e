// Several writers on one catalog, each with its own connection pool (as separate shard processes
// would have): no item is lost or duplicated, counts match, and writers wait for each other's
// transactions instead of failing.
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
}
