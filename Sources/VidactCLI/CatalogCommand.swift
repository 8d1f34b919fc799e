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
        let problems = try catalog.integrityCheck() + files.problems
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
        let runs = try catalog.runs()
        let items = runs.reduce(0) { $0 + $1.counts.total }
        print("catalog ok: \(catalog.path) (\(runs.count) runs, \(items) items)")
    }
}

/// `vidact catalog rebuild --workdir W`: the catalog's feature entries from the feature files.
struct CatalogRebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Rebuild the catalog's feature entries from the feature files.")

    @OptionGroup var workdir: WorkdirOption

    mutating func run() throws {
        let catalog = try Catalog(path: Catalog.path(workdir: workdir.workdir))
        let count = try CatalogFiles.rebuild(catalog, FeatureStore(workdir: workdir.workdir))
        print("catalog rebuilt: \(count) feature entries from \(workdir.workdir)/features")
    }
}
