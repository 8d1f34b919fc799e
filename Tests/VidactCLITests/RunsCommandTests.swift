// `vidact runs`, `runs show` and `catalog check` end to end on a catalog written by
// `vidact catalog stress`: the table and JSON lines carry the run's counts, `show` lists every item
// and names the failure with its reason, and missing catalogs or runs are errors with status 1.
import Foundation
import TestSupport
import Testing

struct RunsCommandTests {
    @Test func runsListShowAndCheck() throws {
        let dir = NSTemporaryDirectory() + "vidact-runs-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stress = try CLITests.vidact("catalog", "stress", "--workdir", dir, "--items", "6")
        #expect(stress.status == 0, "\(stress.stderr)")

        let json = try CLITests.vidact("runs", "--workdir", dir, "--json")
        #expect(json.status == 0)
        let lines = json.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["status"] as? String == "completed")
        #expect(object["done"] as? Int == 4 && object["skipped"] as? Int == 1 && object["failed"] as? Int == 1)
        let id = try #require(object["id"] as? String)

        let table = try CLITests.vidact("runs", "--workdir", dir)
        #expect(table.stdout.contains(String(id.prefix(8))) && table.stdout.contains("completed"), "\(table.stdout)")

        let show = try CLITests.vidact("runs", "show", String(id.prefix(8)).lowercased(), "--workdir", dir)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("items: 4 done, 1 skipped, 1 failed, 0 interrupted"), "\(show.stdout)")
        #expect(show.stdout.split(separator: "\n").filter { $0.hasPrefix("  extract ") }.count == 6)
        #expect(show.stdout.contains("/stress/\(id)/2.mp4: [stress] item 2 of \(id) failed on purpose"))

        let check = try CLITests.vidact("catalog", "check", "--workdir", dir)
        #expect(check.status == 0)
        #expect(check.stdout.contains("catalog ok") && check.stdout.contains("(1 runs, 6 items)"), "\(check.stdout)")

        let missingRun = try CLITests.vidact("runs", "show", "zzz", "--workdir", dir)
        #expect(missingRun.status == 1 && missingRun.stderr.contains("no run 'zzz'"))
        let missingCatalog = try CLITests.vidact("runs", "--workdir", dir + "/nowhere")
        #expect(missingCatalog.status == 1 && missingCatalog.stderr.contains("no catalog"))
    }
}
