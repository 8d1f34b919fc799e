// A damaged catalog loses nothing: after a complete run, the catalog has bytes flipped, is cut to a
// third, is deleted, gets a stale -wal of another database (made by Python's sqlite3 while its
// writer still had it open, so SQLite replays it) or a stale hot -journal of another database.
// `vidact catalog check` reports each harmful case (exit 1) and notes the harmless one; a run on a
// damaged catalog stops with a message that names `catalog rebuild`; `catalog rebuild` sets a
// damaged file aside (kept, never deleted) and indexes every feature file and the model again;
// then `catalog check` passes and the next run does no extract or train work and writes the same
// predictions.
import Foundation
import TestSupport
import Testing

struct DamagedCatalogTests {
    enum Damage: String, CaseIterable, Sendable {
        case flippedBytes, truncated, deleted, staleWAL, staleJournal
    }

    @Test(arguments: Damage.allCases) func aDamagedCatalogIsReportedAndRebuiltWithNothingLost(damage: Damage) throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try RunCommandTests.dataset(dir + "/videos", count: 2)
        let file = try RunCommandTests.pipeline(dir)
        let first = try CLITests.vidact("run", file)
        try #require(first.status == 0, "\(first.stderr)")
        let predictions = try String(contentsOfFile: dir + "/work/predictions.csv", encoding: .utf8)
        let catalog = dir + "/work/catalog.sqlite"
        let damaged = try Self.apply(damage, to: catalog)

        let check = try CLITests.vidact("catalog", "check", "--workdir", dir + "/work")
        if damage == .staleJournal {
            #expect(check.status == 0 && check.stdout.contains("stale rollback journal"), "\(check.stdout)")
        } else {
            #expect(check.status == 1, "\(damage): \(check.stdout)\(check.stderr)")
        }
        if damaged {
            let refused = try CLITests.vidact("run", file)
            #expect(refused.status != 0 && refused.stderr.contains("vidact catalog rebuild"), "\(refused.stderr)")
        }
        let rebuild = try CLITests.vidact("catalog", "rebuild", "--workdir", dir + "/work")
        #expect(rebuild.status == 0, "\(rebuild.stdout)\(rebuild.stderr)")
        #expect(rebuild.stdout.contains("catalog rebuilt: 4 feature entries"), "\(rebuild.stdout)")
        if damaged {
            #expect(rebuild.stdout.contains("kept as \(catalog).damaged-"), "\(rebuild.stdout)")
            let kept = try FileManager.default.contentsOfDirectory(atPath: dir + "/work").filter {
                $0.hasPrefix("catalog.sqlite.damaged-")
            }
            #expect(!kept.isEmpty)
        }
        let again = try CLITests.vidact("catalog", "check", "--workdir", dir + "/work")
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")

        let next = try CLITests.vidact("run", file, "--log-format", "json")
        #expect(next.status == 0, "\(next.stderr)")
        let summary = RunCommandTests.summary(next)
        #expect(
            RunCommandTests.done(summary, "extract") == 0 && RunCommandTests.done(summary, "train") == 0, "\(summary)")
        #expect(try String(contentsOfFile: dir + "/work/predictions.csv", encoding: .utf8) == predictions)
    }

    /// Damages the catalog; returns whether SQLite will find it damaged (a run must refuse it).
    static func apply(_ damage: Damage, to catalog: String) throws -> Bool {
        let python: String
        switch damage {
        case .flippedBytes:
            python = """
                b = bytearray(open(P, 'rb').read())
                for i in range(4096, min(len(b), 6 * 4096), 61): b[i] ^= 0xFF
                open(P, 'wb').write(b)
                """
        case .truncated:
            python = "b = open(P, 'rb').read(); open(P, 'wb').write(b[:len(b) // 3])"
        case .deleted:
            python = "import os\nfor s in ('', '-wal', '-shm'):\n    if os.path.exists(P + s): os.remove(P + s)"
        case .staleWAL, .staleJournal:
            let wal = damage == .staleWAL
            python = """
                import os, shutil, sqlite3, tempfile
                other = os.path.join(tempfile.mkdtemp(), 'other.db')
                db = sqlite3.connect(other, isolation_level=None)
                db.execute('PRAGMA journal_mode=\(wal ? "WAL" : "DELETE")')
                db.execute('PRAGMA wal_autocheckpoint=0')
                db.execute('CREATE TABLE t(x)')
                db.execute('BEGIN')
                for _ in range(200): db.execute('INSERT INTO t VALUES (randomblob(500))')
                db.execute('COMMIT')
                \(wal ? "" : "db.execute('BEGIN'); db.execute('UPDATE t SET x = randomblob(600)')")
                shutil.copy(other + '\(wal ? "-wal" : "-journal")', P + '\(wal ? "-wal" : "-journal")')
                """
        }
        // Flipped and cut bytes must hit pages SQLite reads: first move the WAL's pages into the file.
        let checkpoint = "import sqlite3\nsqlite3.connect(P).execute('PRAGMA wal_checkpoint(TRUNCATE)').fetchall()\n"
        let prefix = damage == .flippedBytes || damage == .truncated ? checkpoint : ""
        let result = try runProcess("python3", ["-c", "P = \(String(reflecting: catalog))\n" + prefix + python])
        try #require(result.status == 0, "\(damage): \(result.stderr)")
        return damage == .flippedBytes || damage == .truncated
    }
}
