// `vidact catalog stress --workdir W --items N` (hidden): writes N run items, one transaction
// each, printing `committed RUN INDEX` after each commit, so a test can kill it at any moment and
// then check that every reported item is in the catalog, complete, and counted. It first marks
// runs of dead processes interrupted, as the runner does at start. Several may run at once on one
// workdir (the concurrency test).
import ArgumentParser
import Catalog
import Foundation

struct CatalogStressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress", abstract: "Write run items in a loop (for tests).", shouldDisplay: false)

    @OptionGroup var workdir: WorkdirOption

    @Option(help: "Number of items to write.")
    var items = 1000

    @Option(help: "Journal mode: wal or rollback.")
    var journal = "wal"

    func validate() throws {
        guard CatalogOptions.JournalMode(rawValue: journal) != nil else {
            throw ValidationError("--journal must be wal or rollback")
        }
    }

    mutating func run() throws {
        try FileManager.default.createDirectory(atPath: workdir.workdir, withIntermediateDirectories: true)
        let mode = CatalogOptions.JournalMode(rawValue: journal) ?? .wal
        let catalog = try Catalog(workdir: workdir.workdir, options: CatalogOptions(journalMode: mode))
        for id in try catalog.markInterruptedRuns() { Self.say("interrupted \(id)") }
        let run = try catalog.beginRun(configJSON: #"{"stress":\#(items)}"#, configHash: "stress")
        Self.say("begun \(run.id)")
        for index in 0..<items {
            try catalog.recordItem(Self.item(run: run.id, index: index))
            Self.say("committed \(run.id) \(index)")
        }
        try catalog.finishRun(run.id, status: .completed)
        Self.say("finished \(run.id)")
    }

    /// The item number `index` of a stress run: every field is a function of (run, index), so a
    /// reader can tell a complete row from a damaged one.
    static func item(run: String, index: Int) -> RunItemRecord {
        let statuses: [ItemStatus] = [.done, .done, .failed, .skipped]
        let status = statuses[index % statuses.count]
        return RunItemRecord(
            runID: run, step: .extract, unit: "/stress/\(run)/\(index).mp4", status: status,
            errorKind: status == .failed ? "stress" : nil,
            errorMessage: status == .failed ? "item \(index) of \(run) failed on purpose" : nil,
            startedAt: Date(timeIntervalSince1970: 1_750_000_000 + Double(index)), seconds: Double(index) / 4,
            decodedFrames: index, headerFrames: index + 1)
    }

    /// One line on stdout, unbuffered: written before the next item starts.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
