// Runs and items: a run round-trips with its items and counts; run ids resolve by prefix;
// `lastFailure` follows the last real attempt; runs of dead processes are marked interrupted.
import Catalog
import Foundation
import Testing

struct RunRecordTests {
    @Test func runAndItemsRoundTrip() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(workdir: dir)
        let t0 = CatalogTestSupport.t0
        let run = try catalog.beginRun(configJSON: #"{"a":1}"#, configHash: "h1", shard: "1/3", startedAt: t0)
        #expect(run.status == .running)
        #expect(run.pid == getpid())
        let items = [
            CatalogTestSupport.item(run.id, "/v/a.mp4", .done, at: 1),
            CatalogTestSupport.item(run.id, "/v/b.mp4", .failed, at: 2),
            CatalogTestSupport.item(run.id, "/v/c.mp4", .skipped, at: 3),
            CatalogTestSupport.item(run.id, "model-x", .done, step: .train, at: 4),
        ]
        var recorded: [RunItemRecord] = []
        for item in items { recorded.append(try catalog.recordItem(item)) }
        let finished = try catalog.finishRun(run.id, status: .completed, endedAt: t0 + 10)
        #expect(finished.counts == RunCounts(done: 2, skipped: 1, failed: 1))
        let detail = try catalog.runDetail(id: run.id)
        #expect(detail.run == finished)
        #expect(detail.run.configJSON == #"{"a":1}"#)
        #expect(detail.run.shard == "1/3")
        #expect(detail.run.seconds() == 10)
        #expect(detail.items == recorded)
        #expect(detail.items.map(\.id) == recorded.map(\.id))
        #expect(detail.items[1].errorMessage == "/v/b.mp4: invalid data found")
        #expect(detail.items[0].decodedFrames == 100 && detail.items[0].headerFrames == 101)
    }

    @Test func runsNewestFirstAndByPrefix() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(workdir: dir)
        let old = try catalog.beginRun(configJSON: "{}", configHash: "h", startedAt: CatalogTestSupport.t0)
        let new = try catalog.beginRun(configJSON: "{}", configHash: "h", startedAt: CatalogTestSupport.t0 + 5)
        #expect(try catalog.runs().map(\.id) == [new.id, old.id])
        #expect(try catalog.runs(limit: 1).map(\.id) == [new.id])
        #expect(try catalog.run(id: String(old.id.prefix(13)).lowercased())?.id == old.id)
        #expect(try catalog.run(id: "nope") == nil)
        #expect(throws: CatalogError.self) { try catalog.run(id: "") }
        #expect(throws: CatalogError.self) { try catalog.runDetail(id: "nope") }
        #expect(throws: CatalogError.self) { try catalog.finishRun("nope", status: .failed) }
    }

    @Test func lastFailureFollowsTheLastRealAttempt() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(workdir: dir)
        let first = try catalog.beginRun(configJSON: "{}", configHash: "h")
        try catalog.recordItem(CatalogTestSupport.item(first.id, "/v/a.mp4", .failed))
        try catalog.recordItem(CatalogTestSupport.item(first.id, "/v/b.mp4", .failed))
        try catalog.recordItem(CatalogTestSupport.item(first.id, "/v/c.mp4", .done))
        let second = try catalog.beginRun(configJSON: "{}", configHash: "h")
        // a: failure not retried (skip); b: retried and done; c: now fails.
        try catalog.recordItem(CatalogTestSupport.item(second.id, "/v/a.mp4", .skipped))
        try catalog.recordItem(CatalogTestSupport.item(second.id, "/v/b.mp4", .done))
        try catalog.recordItem(CatalogTestSupport.item(second.id, "/v/c.mp4", .failed))
        #expect(try catalog.lastFailure(step: .extract, unit: "/v/a.mp4")?.runID == first.id)
        #expect(try catalog.lastFailure(step: .extract, unit: "/v/b.mp4") == nil)
        #expect(try catalog.lastFailure(step: .extract, unit: "/v/c.mp4")?.runID == second.id)
        #expect(try catalog.lastFailure(step: .predict, unit: "/v/a.mp4") == nil)
        let failures = try catalog.lastFailures(step: .extract)
        #expect(Set(failures.keys) == ["/v/a.mp4", "/v/c.mp4"])
        #expect(failures["/v/c.mp4"]?.runID == second.id)
        #expect(try catalog.lastAttempt(step: .extract, unit: "/v/b.mp4")?.status == .done)
    }

    @Test func runsOfDeadProcessesAreMarkedInterrupted() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(workdir: dir)
        let here = ProcessIdentity.current
        // A pid above the kernel's pid_max (4194304 at most) never exists.
        let dead = ProcessIdentity(host: here.host, pid: 9_999_999)
        let elsewhere = ProcessIdentity(host: here.host + "-other", pid: 9_999_999)
        let t0 = CatalogTestSupport.t0
        let killed = try catalog.beginRun(configJSON: "{}", configHash: "h", startedAt: t0, process: dead)
        try catalog.recordItem(CatalogTestSupport.item(killed.id, "/v/a.mp4", .done, at: 2))
        let remote = try catalog.beginRun(configJSON: "{}", configHash: "h", process: elsewhere)
        let mine = try catalog.beginRun(configJSON: "{}", configHash: "h")
        #expect(try catalog.markInterruptedRuns() == [killed.id])
        let marked = try #require(try catalog.run(id: killed.id))
        #expect(marked.status == .interrupted)
        #expect(marked.endedAt == t0 + 3.5)
        #expect(try catalog.run(id: remote.id)?.status == .running)
        #expect(try catalog.run(id: mine.id)?.status == .running)
        #expect(try catalog.markInterruptedRuns() == [])
    }
}
