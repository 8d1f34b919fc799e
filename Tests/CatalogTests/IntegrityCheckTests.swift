// The integrity check finds what it promises: run counts that disagree with the items, items of a
// run that does not exist (written behind the catalog's back, with foreign keys off, through GRDB
// directly), and damaged pages.
import Catalog
import Foundation
import GRDB
import Testing

struct IntegrityCheckTests {
    @Test func countMismatchAndDanglingItemsAreReported() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(workdir: dir)
        let run = try catalog.beginRun(configJSON: "{}", configHash: "h")
        try catalog.recordItem(CatalogTestSupport.item(run.id, "/v/a.mp4", .done))
        #expect(try catalog.integrityCheck() == [])
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let raw = try DatabaseQueue(path: catalog.path, configuration: configuration)
        try raw.write { db in
            try db.execute(sql: "UPDATE run SET doneCount = 5 WHERE id = ?", arguments: [run.id])
            try db.execute(
                sql: """
                    INSERT INTO runItem (runID, step, unit, status, startedAt, seconds)
                    VALUES ('no-such-run', 'extract', '/v/b.mp4', 'done', '2025-01-01 00:00:00.000', 1)
                    """)
        }
        let problems = try catalog.integrityCheck()
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("foreign_key_check: runItem row") && $0.contains("missing run row") })
        #expect(problems.contains { $0.hasPrefix("run \(run.id): counts done 5") && $0.contains("items are done 1") })
    }
}
