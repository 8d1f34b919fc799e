// `vidact schedule list` shows the workdir catalog's latest run: status and counts.
import Catalog
import Foundation
import TestSupport
import Testing

@testable import Scheduling

struct ScheduleStatusCatalogTests {
    @Test func latestRunFromTheCatalog() throws {
        let dir = try TemporaryDirectory.make("sched")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(ScheduleStatus.latestCatalogRun(workdir: dir) == nil, "no catalog, nothing shown")
        let catalog = try Catalog(path: Catalog.path(workdir: dir))
        let run = try catalog.beginRun(configJSON: "{}", configHash: "h")
        _ = try catalog.recordItem(
            RunItemRecord(runID: run.id, step: .extract, unit: "a.mp4", status: .done, startedAt: Date(), seconds: 1))
        _ = try catalog.recordItem(
            RunItemRecord(
                runID: run.id, step: .extract, unit: "b.mp4", status: .failed, errorKind: "notAVideo",
                errorMessage: "bad", startedAt: Date(), seconds: 1))
        try catalog.finishRun(run.id, status: .failed)
        #expect(
            ScheduleStatus.latestCatalogRun(workdir: dir)
                == "failed: 1 done, 0 skipped, 1 failed (run \(run.id.prefix(8)))")
    }
}
