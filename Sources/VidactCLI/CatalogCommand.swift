// `vidact catalog …`: the workdir's catalog database. `check` runs SQLite's checks and compares
// the catalog's feature entries with the feature files both ways; `rebuild` reconstructs those
// entries from the files; the hidden `stress` writes run items in a loop for the crash and
// concurrency tests.
import ArgumentParser
import Catalog
import FeatureStore
import Foundation
import Pipeline

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Check the workdir's catalog database, or rebuild it from the feature files.",
        subcommands: [CatalogCheckCommand.self, CatalogRebuildCommand.self, CatalogStressCommand.self]
    )

    /// Opens `<workdir>/catalog.sqlite`, which must exist (reading commands never create one).
    static func openExisting(workdir: String) throws -> Catalog {
        let path = Catalog.path(workdir: workdir)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("\(path): no catalog (it is created by the first `vidact run` in \(workdir))")
        }
        return try Catalog(path: path)
    }
}

/// `vidact catalog check --workdir W`: SQLite's integrity and foreign-key checks and the run-count
/// invariant; exit status 1 when anything is wrong.
struct CatalogCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check the catalog database (SQLite integrity, foreign keys, run counts).")

    @OptionGroup var workdir: WorkdirOption

    mutating func run() throws {
        let catalog = try CatalogCommand.openExisting(workdir: workdir.workdir)
        let files = try CatalogFiles.crossCheck(catalog, FeatureStore(workdir: workdir.workdir))
        var problems = try catalog.integrityCheck() + files.problems
        let runs = try catalog.runs()
        // A sound but empty catalog beside cached volumes was reset or replaced: SQLite applies a
        // stale -wal of another database without complaint.
        if runs.isEmpty && !files.unindexed.isEmpty {
            problems.append(
                "the catalog lists no runs and none of the \(files.unindexed.count) feature file(s) in the workdir: it was "
                    + "recreated or replaced (a stale -wal of another database?); run `vidact catalog rebuild`")
        }
        // SQLite ignores a rollback journal while the catalog is in WAL mode.
        if try catalog.journalMode() == "wal", FileManager.default.fileExists(atPath: catalog.path + "-journal") {
            print("note: \(catalog.path)-journal is a stale rollback journal, ignored in WAL mode; it can be deleted")
        }
        if !files.unindexed.isEmpty {
            print(
                "note: \(files.unindexed.count) valid volume(s) not indexed yet (the next run or `vidact catalog rebuild` adds them)"
            )
        }
        for problem in problems { print("problem: \(problem)") }
        if !problems.isEmpty {
            printError("vidact: \(catalog.path): \(problems.count) problem(s)")
            throw SomeInputsFailed()
        }
        let items = runs.reduce(0) { $0 + $1.counts.total }
        print("catalog ok: \(catalog.path) (\(runs.count) runs, \(items) items)")
    }
}

/// `vidact catalog rebuild --workdir W`: sets a damaged catalog aside, then rebuilds the feature
/// entries from the feature files and adds the models found in the model folders.
struct CatalogRebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild the catalog's feature entries and models from the files (a damaged catalog is set aside).")

    @OptionGroup var workdir: WorkdirOption

    mutating func run() throws {
        let path = Catalog.path(workdir: workdir.workdir)
        if let aside = try Catalog.setAsideIfDamaged(path: path) {
            print("catalog damaged (\(aside.reason)); kept as \(aside.movedTo); run history before it is not recovered")
        }
        let catalog = try Catalog(path: path)
        let count = try CatalogFiles.rebuild(catalog, FeatureStore(workdir: workdir.workdir))
        let models = try CatalogFiles.rebuildModels(catalog, workdir: workdir.workdir)
        print("catalog rebuilt: \(count) feature entries from \(workdir.workdir)/features, \(models) model(s) added")
    }
}
