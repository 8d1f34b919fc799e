// `vidact features gc --workdir W [--apply]`: lists — and with --apply deletes — volumes whose
// video is gone or changed, whose extractor key no run has used for --unused-days days, or which
// are invalid. A dry run unless --apply is given.
import ArgumentParser
import FeatureStore
import Foundation

struct FeaturesGCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: "Find (and with --apply delete) feature volumes nobody needs.")

    @OptionGroup var workdir: WorkdirOption

    @Flag(help: "Delete what is listed (default: only list).")
    var apply = false

    @Option(name: .customLong("unused-days"), help: "Keep extractor keys that a run used within this many days.")
    var unusedDays: Double = 30

    mutating func run() throws {
        let store = FeatureStore(workdir: workdir.workdir)
        let hashes = VideoHashCache(workdir: workdir.workdir)
        let items = store.collectGarbage(unusedDays: unusedDays, hashes: hashes, apply: apply)
        try? hashes.save()
        for item in items {
            print("\(apply ? "deleted" : "would delete") \(item.path) [\(item.reason.rawValue)] \(item.detail)")
        }
        let bytes = items.reduce(Int64(0)) { $0 + $1.size }
        print(
            "\(items.count) volumes, \(FeaturesListCommand.size(bytes))\(apply ? " freed" : " (dry run; --apply deletes)")"
        )
    }
}
