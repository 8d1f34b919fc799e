// The catalog's schema as named, append-only migrations. A migration, once released, is never
// edited: a change of schema is a new migration appended below (GRDB records applied migrations
// in `grdb_migrations`, and a catalog with migrations this build does not know is refused as too
// new instead of being written to).
//
// v1 tables:
//   video        one row per path: identity (size, mtimeNs, inode, device), sha256, probe JSON,
//                first/last seen, gone flag
//   featureEntry one row per (extractorKey, videoSHA256): file path, frames, width, dtype
//   run          one row per run: config JSON + hash, start/end, status, host, pid, shard, counts
//   runItem      one row per attempt at a unit: run, step, unit, status, error, timings, frames
//   claim        at most one row per (step, unit); unused since issue 15 removed the claims API
//                (shards split work by path hash), kept because v1 is applied in existing catalogs
//   model        one row per model name
//   prediction   one row per (modelName, videoPath)
import GRDB

enum CatalogSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        // v2: what a unit worked on (content hash, model id), so known failures are keyed by it.
        migrator.registerMigration("v2-item-fingerprint") { db in
            try db.execute(sql: "ALTER TABLE runItem ADD COLUMN fingerprint TEXT")
        }
        return migrator
    }

    private static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE video (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    path TEXT NOT NULL UNIQUE,
                    size INTEGER NOT NULL,
                    mtimeNs INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    device INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    probeJSON TEXT,
                    firstSeen DATETIME NOT NULL,
                    lastSeen DATETIME NOT NULL,
                    gone BOOLEAN NOT NULL DEFAULT 0
                );
                CREATE INDEX video_sha256 ON video(sha256);

                CREATE TABLE featureEntry (
                    extractorKey TEXT NOT NULL,
                    videoSHA256 TEXT NOT NULL,
                    path TEXT NOT NULL,
                    frames INTEGER NOT NULL CHECK (frames >= 0),
                    width INTEGER NOT NULL CHECK (width >= 0),
                    dtype TEXT NOT NULL,
                    created DATETIME NOT NULL,
                    PRIMARY KEY (extractorKey, videoSHA256)
                );

                CREATE TABLE run (
                    id TEXT PRIMARY KEY NOT NULL,
                    configJSON TEXT NOT NULL,
                    configHash TEXT NOT NULL,
                    startedAt DATETIME NOT NULL,
                    endedAt DATETIME,
                    status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
                    host TEXT NOT NULL,
                    pid INTEGER NOT NULL,
                    shard TEXT,
                    doneCount INTEGER NOT NULL DEFAULT 0,
                    skippedCount INTEGER NOT NULL DEFAULT 0,
                    failedCount INTEGER NOT NULL DEFAULT 0,
                    interruptedCount INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX run_startedAt ON run(startedAt);

                CREATE TABLE runItem (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    runID TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    step TEXT NOT NULL CHECK (step IN ('extract', 'train', 'predict', 'evaluate')),
                    unit TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('done', 'skipped', 'failed', 'interrupted')),
                    errorKind TEXT,
                    errorMessage TEXT,
                    startedAt DATETIME NOT NULL,
                    seconds DOUBLE NOT NULL,
                    decodedFrames INTEGER,
                    headerFrames INTEGER
                );
                CREATE INDEX runItem_runID ON runItem(runID);
                CREATE INDEX runItem_step_unit ON runItem(step, unit, id);

                CREATE TABLE claim (
                    step TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    runID TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    host TEXT NOT NULL,
                    pid INTEGER NOT NULL,
                    claimedAt DATETIME NOT NULL,
                    PRIMARY KEY (step, unit)
                );

                CREATE TABLE model (
                    name TEXT PRIMARY KEY NOT NULL,
                    path TEXT NOT NULL,
                    task TEXT NOT NULL,
                    extractorKey TEXT NOT NULL,
                    configHash TEXT NOT NULL,
                    metricsJSON TEXT,
                    created DATETIME NOT NULL
                );

                CREATE TABLE prediction (
                    runID TEXT REFERENCES run(id) ON DELETE SET NULL,
                    videoPath TEXT NOT NULL,
                    videoSHA256 TEXT NOT NULL,
                    modelName TEXT NOT NULL,
                    label TEXT NOT NULL,
                    probability DOUBLE NOT NULL,
                    topKJSON TEXT,
                    segmentsJSON TEXT,
                    created DATETIME NOT NULL,
                    PRIMARY KEY (modelName, videoPath)
                );
                """)
    }
}
