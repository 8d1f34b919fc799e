// Opening the catalog: a new file gets the v1 schema in WAL mode; reopening keeps data and applies
// nothing twice; the rollback-journal option; a file that is not a database is refused with a
// typed error; a damaged file is reported by the integrity check.
import Catalog
import Foundation
import Testing

struct CatalogTests {
    @Test func newFileIsMigratedToV1InWALMode() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(workdir: dir)
        #expect(catalog.path == dir + "/catalog.sqlite")
        #expect(FileManager.default.fileExists(atPath: catalog.path))
        #expect(try catalog.appliedMigrations() == ["v1", "v2-item-fingerprint"])
        #expect(try catalog.journalMode() == "wal")
        #expect(try catalog.integrityCheck() == [])
    }

    @Test func reopeningKeepsDataAndSchema() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let runID: String
        do {
            let catalog = try Catalog(workdir: dir)
            runID = try catalog.beginRun(configJSON: "{}", configHash: "abc").id
        }
        let reopened = try Catalog(workdir: dir)
        #expect(try reopened.appliedMigrations() == ["v1", "v2-item-fingerprint"])
        #expect(try reopened.runs().map(\.id) == [runID])
    }

    @Test func rollbackJournalOption() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(workdir: dir, options: CatalogOptions(journalMode: .rollback))
        #expect(try catalog.journalMode() == "delete")
        let run = try catalog.beginRun(configJSON: "{}", configHash: "h")
        try catalog.recordItem(CatalogTestSupport.item(run.id, "/v/a.mp4", .done))
        #expect(try catalog.run(id: run.id)?.counts.done == 1)
        #expect(!FileManager.default.fileExists(atPath: catalog.path + "-wal"))
    }

    @Test func walCatalogInUseCannotBeOpenedInRollbackMode() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wal = try Catalog(workdir: dir)
        _ = try wal.runs()
        #expect(throws: CatalogError.self) {
            _ = try Catalog(workdir: dir, options: CatalogOptions(journalMode: .rollback, busyTimeoutSeconds: 0.2))
        }
    }

    @Test func notADatabaseIsATypedError() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: dir + "/catalog.sqlite"))
        do {
            _ = try Catalog(workdir: dir)
            Issue.record("opening a file of 'A's succeeded")
        } catch {
            // SQLITE_NOTADB: a damaged catalog, whose message names `vidact catalog rebuild`.
            #expect(error.kind == .damaged, "\(error)")
            #expect("\(error)".contains("vidact catalog rebuild"), "\(error)")
            #expect(error.path == dir + "/catalog.sqlite")
        }
    }

    @Test func damagedPagesAreReportedByTheIntegrityCheck() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path: String
        do {
            let catalog = try Catalog(workdir: dir, options: CatalogOptions(journalMode: .rollback))
            path = catalog.path
            let run = try catalog.beginRun(configJSON: String(repeating: "x", count: 100), configHash: "h")
            for index in 0..<300 {
                try catalog.recordItem(CatalogTestSupport.item(run.id, "/videos/clip\(index).mp4", .done))
            }
            #expect(try catalog.integrityCheck() == [])
        }
        // Scribble over the b-tree page headers of the last third of the file, where the item
        // rows and their index live (page 1, the schema, stays intact so the file still opens).
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let header = try #require(try handle.read(upToCount: 100))
        let pageSize = UInt64(header[16]) << 8 | UInt64(header[17])
        let pages = try handle.seekToEnd() / pageSize
        for page in (pages * 2 / 3)..<pages {
            try handle.seek(toOffset: page * pageSize)
            try handle.write(contentsOf: Data(repeating: 0xEE, count: 12))
        }
        try handle.close()
        // Depending on which pages were hit, opening (which reads the migrations table) fails
        // with a typed error naming the damage, or the check reports it.
        let reopened: Catalog
        do {
            reopened = try Catalog(path: path, options: CatalogOptions(journalMode: .rollback))
        } catch {
            #expect(error.kind == .sql && error.detail.contains("malformed"), "\(error)")
            return
        }
        let problems = try reopened.integrityCheck()
        #expect(!problems.isEmpty)
        #expect(
            problems.contains { $0.hasPrefix("integrity_check:") || $0.contains("malformed") }, "\(problems)")
    }
}
