// `vidact catalog …`: the workdir's catalog database. `check` runs the database half of the
// consistency check; the hidden `stress` writes run items in a loop for the crash and concurrency
// tests. `catalog rebuild` and the catalog/feature-file cross-check need the feature store and
// belong to the pipeline runner, which calls `Catalog.rebuildFeatureEntries(_:)` and compares
// `Catalog.featureEntries()` with the files.
import ArgumentParser
import Catalog
import Foundation

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Check the workdir's catalog database.",
        subcommands: [CatalogCheckCommand.self, CatalogStressCommand.self]
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
        let problems = try catalog.integrityCheck()
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
