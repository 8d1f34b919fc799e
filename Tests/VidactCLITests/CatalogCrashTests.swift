// Crash safety and multi-process safety of the catalog, through the hidden
// `vidact catalog stress` command (one transaction per item, `committed RUN INDEX` printed after
// each commit). Crash: the writer is killed with SIGKILL (seeded: after a random number of
// commits plus a random few milliseconds) twelve times; after each kill the catalog passes its
// integrity check (`vidact catalog check` too), every item the writer reported committed is there
// and complete, each run's items are exactly items 0..<n with n the reported count or one more
// (killed between commit and print), and the run's counts equal its items. The next writer marks
// the killed runs interrupted. Concurrency: three writer processes on one workdir lose nothing.
import Catalog
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct CatalogCrashTests {
    /// Starts `vidact catalog stress` and collects its stdout lines as they come.
    final class StressProcess: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var lines: [String] = []
        private let done = DispatchSemaphore(value: 0)

        init(workdir: String, items: Int, journal: String = "wal") throws {
            process.executableURL = URL(fileURLWithPath: CLITests.binary)
            process.arguments = [
                "catalog", "stress", "--workdir", workdir, "--items", "\(items)", "--journal", journal,
            ]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            DispatchQueue.global().async { [self] in
                var buffer = Data()
                while case let chunk = out.fileHandleForReading.availableData, !chunk.isEmpty {
                    buffer.append(chunk)
                    while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                        buffer = Data(buffer[buffer.index(after: newline)...])
                        lock.withLock { lines.append(line) }
                    }
                }
                done.signal()
            }
        }

        var committed: Int { lock.withLock { lines.filter { $0.hasPrefix("committed ") }.count } }

        /// Waits for the process to end and its output to be read; returns every line.
        func finish() -> [String] {
            process.waitUntilExit()
            done.wait()
            return lock.withLock { lines }
        }
    }

    /// Checks run `runID`'s items against what the stress writer writes for each index and returns
    /// how many there are.
    static func checkStressItems(_ catalog: Catalog, runID: String) throws -> Int {
        let detail = try catalog.runDetail(id: runID)
        let statuses: [ItemStatus] = [.done, .done, .failed, .skipped]
        for (index, item) in detail.items.enumerated() {
            #expect(item.unit == "/stress/\(runID)/\(index).mp4")
            #expect(item.status == statuses[index % 4])
            #expect(item.decodedFrames == index && item.headerFrames == index + 1 && item.seconds == Double(index) / 4)
            #expect((item.errorMessage != nil) == (item.status == .failed))
        }
        var counts = RunCounts()
        for item in detail.items {
            switch item.status {
            case .done: counts.done += 1
            case .skipped: counts.skipped += 1
            case .failed: counts.failed += 1
            case .interrupted: counts.interrupted += 1
            }
        }
        #expect(detail.run.counts == counts)
        return detail.items.count
    }

    @Test func killedWritersLeaveACleanCatalog() throws {
        let dir = NSTemporaryDirectory() + "vidact-catalog-crash-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = FeaturesCrashTests.SplitMix(state: 20_250_611)
        var killedRuns: [String] = []
        for round in 0..<12 {
            let stress = try StressProcess(workdir: dir, items: 1_000_000)
            let target = Int.random(in: 0...300, using: &rng)
            let extraMicroseconds = UInt32.random(in: 0...20_000, using: &rng)
            while stress.committed < target && stress.process.isRunning { usleep(200) }
            usleep(extraMicroseconds)
            kill(stress.process.processIdentifier, SIGKILL)
            let lines = stress.finish()
            #expect(stress.process.terminationReason == .uncaughtSignal, "round \(round): \(lines.suffix(3))")
            let catalog = try Catalog(workdir: dir)
            #expect(try catalog.integrityCheck() == [], "round \(round)")
            let check = try CLITests.vidact("catalog", "check", "--workdir", dir)
            #expect(check.status == 0, "round \(round): \(check.stdout) \(check.stderr)")
            guard let begun = lines.first(where: { $0.hasPrefix("begun ") }) else { continue }
            let runID = String(begun.dropFirst("begun ".count))
            let reported = lines.filter { $0.hasPrefix("committed \(runID) ") }.count
            let stored = try Self.checkStressItems(catalog, runID: runID)
            #expect(
                stored == reported || stored == reported + 1, "round \(round): \(stored) stored, \(reported) reported")
            print("catalog crash round \(round): killed after \(reported) reported commits, \(stored) stored")
            killedRuns.append(runID)
        }
        #expect(killedRuns.count >= 10)
        let last = try StressProcess(workdir: dir, items: 20)
        let lines = last.finish()
        #expect(last.process.terminationStatus == 0)
        // Each writer marks the runs killed before it; the last killed run is left to this one.
        #expect(lines.filter { $0.hasPrefix("interrupted ") }.map { String($0.dropFirst(12)) } == [killedRuns.last])
        let catalog = try Catalog(workdir: dir)
        for runID in killedRuns {
            #expect(try catalog.run(id: runID)?.status == .interrupted)
        }
        #expect(try catalog.runs().first?.status == .completed)
        #expect(try catalog.integrityCheck() == [])
    }

    @Test(arguments: ["wal", "rollback"])
    func concurrentWriterProcessesLoseNothing(journal: String) throws {
        let dir = NSTemporaryDirectory() + "vidact-catalog-concurrent-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writers = try (0..<3).map { _ in try StressProcess(workdir: dir, items: 150, journal: journal) }
        var runIDs: [String] = []
        for writer in writers {
            let lines = writer.finish()
            #expect(writer.process.terminationStatus == 0)
            runIDs += lines.filter { $0.hasPrefix("finished ") }.map { String($0.dropFirst("finished ".count)) }
        }
        #expect(runIDs.count == 3)
        let catalog = try Catalog(
            workdir: dir, options: CatalogOptions(journalMode: journal == "wal" ? .wal : .rollback))
        for runID in runIDs {
            #expect(try Self.checkStressItems(catalog, runID: runID) == 150)
            #expect(try catalog.run(id: runID)?.status == .completed)
        }
        #expect(try catalog.integrityCheck() == [])
    }
}
