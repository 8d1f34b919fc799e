// The catalog of a workdir: one SQLite database (`<workdir>/catalog.sqlite`, through GRDB) that
// records videos, feature entries, runs and their items, models and predictions. This file opens
// it: journal mode and busy timeout (CatalogOptions), foreign keys on, schema migrations, and the
// mapping of every GRDB/SQLite failure to `CatalogError`. The rest of the API lives in the
// `Catalog+*.swift` extensions; no SQL leaves this module.
//
// Several processes (shards) may open one catalog at once. Opening and migrating is serialised by
// an exclusive `flock` on `catalog.sqlite.lock`, so two first runs never race to create the
// schema; every write is one IMMEDIATE transaction (GRDB's default for writes), so concurrent
// writers queue on SQLite's lock for up to the busy timeout instead of failing or deadlocking.
import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The workdir's catalog database. Thread-safe; open one per process and share it.
public final class Catalog: Sendable {
    /// The database file.
    public let path: String
    public let options: CatalogOptions
    let writer: any DatabaseWriter

    /// `<workdir>/catalog.sqlite`.
    public static func path(workdir: String) -> String {
        (workdir as NSString).appendingPathComponent("catalog.sqlite")
    }

    /// Opens (creating if needed, and migrating to the current schema) `<workdir>/catalog.sqlite`.
    public convenience init(workdir: String, options: CatalogOptions = CatalogOptions()) throws(CatalogError) {
        try self.init(path: Catalog.path(workdir: workdir), options: options)
    }

    /// Opens (creating if needed, and migrating to the current schema) the catalog at `path`.
    public init(path: String, options: CatalogOptions = CatalogOptions()) throws(CatalogError) {
        self.path = path
        self.options = options
        let lock = try Self.lockSetup(path)
        defer { close(lock) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(options.busyTimeoutSeconds)
        configuration.foreignKeysEnabled = true
        configuration.label = "vidact-catalog"
        do {
            switch options.journalMode {
            case .wal:
                writer = try DatabasePool(path: path, configuration: configuration)
            case .rollback:
                configuration.prepareDatabase { db in
                    try db.execute(sql: "PRAGMA journal_mode = DELETE")
                }
                writer = try DatabaseQueue(path: path, configuration: configuration)
            }
        } catch {
            if Self.isDamage(error) { throw CatalogError(.damaged, path: path, Self.message(error)) }
            throw CatalogError(.open, path: path, "cannot open the catalog: \(Self.message(error))")
        }
        try migrate()
    }

    /// SQLite's journal mode of the open catalog ("wal" or "delete").
    public func journalMode() throws(CatalogError) -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// The names of the schema migrations applied to the file, oldest first.
    public func appliedMigrations() throws(CatalogError) -> [String] {
        try read { db in try CatalogSchema.migrator.appliedMigrations(db) }
    }

    private func migrate() throws(CatalogError) {
        let migrator = CatalogSchema.migrator
        let superseded: Bool
        do {
            superseded = try writer.read(migrator.hasBeenSuperseded)
        } catch {
            throw Self.map(error, path: path)
        }
        if superseded {
            throw CatalogError(.schemaTooNew, path: path, "the catalog has schema migrations this vidact does not know")
        }
        do {
            try migrator.migrate(writer)
        } catch {
            throw Self.map(error, path: path)
        }
        let mode = try journalMode()
        let expected = options.journalMode == .wal ? "wal" : "delete"
        if mode != expected {
            throw CatalogError(
                .open, path: path,
                "the catalog is in journal mode '\(mode)', not '\(expected)' (another process has it open in the other "
                    + "mode; every process sharing a workdir must use the same mode)")
        }
    }

    /// Takes the exclusive setup lock (`<path>.lock`), waiting for another process's setup.
    private static func lockSetup(_ path: String) throws(CatalogError) -> Int32 {
        let descriptor = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            let advice =
                code == EACCES || code == EPERM || code == EROFS
                ? " (the workdir must be writable by this user: check its owner, permissions and mount, or use another "
                    + "workdir)" : ""
            throw CatalogError(
                .open, path: path, "cannot create \(path).lock: \(String(cString: strerror(code)))" + advice)
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw CatalogError(.open, path: path, "cannot lock \(path).lock: \(reason)")
            }
        }
        return descriptor
    }

    // MARK: - Transactions with typed errors

    /// Runs `body` in one IMMEDIATE write transaction; any failure rolls it back.
    func write<T>(_ body: (Database) throws -> T) throws(CatalogError) -> T {
        do {
            return try writer.write(body)
        } catch {
            throw Self.map(error, path: path)
        }
    }

    /// Runs `body` on a consistent snapshot.
    func read<T>(_ body: (Database) throws -> T) throws(CatalogError) -> T {
        do {
            return try writer.read(body)
        } catch {
            throw Self.map(error, path: path)
        }
    }

    static func map(_ error: any Error, path: String) -> CatalogError {
        if let error = error as? CatalogError { return error }
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return CatalogError(.busy, path: path, message(error))
        }
        if isDamage(error) { return CatalogError(.damaged, path: path, message(error)) }
        let full = (error as? DatabaseError)?.resultCode == .SQLITE_FULL
        return CatalogError(.sql, path: path, message(error), errno: full ? ENOSPC : nil)
    }

    /// SQLite says the file is not a sound database, or a row does not have the columns and types
    /// of vidact's schema (a file whose schema text was damaged; the records decode with GRDB's
    /// throwing accessors, so this is an error, never a trap).
    static func isDamage(_ error: any Error) -> Bool {
        if error is RowDecodingError || error is DamagedRowError { return true }
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
    }

    static func message(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "\(error.resultCode)")"
        }
        return "\(error)"
    }
}
