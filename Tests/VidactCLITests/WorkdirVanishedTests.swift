// A workdir taken away (renamed; removing behaves the same) while `vidact run` trains: the run stops at the next unit it records with exit
// 1 and a message naming the workdir, instead of finishing "successfully" into a recreated folder
// whose catalog it never wrote (its own catalog being a deleted file by then).
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct WorkdirVanishedTests {
    @Test func aWorkdirRemovedMidRunStopsTheRunWithAClearError() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try RunCommandTests.dataset(dir + "/videos", count: 2)
        let pipeline = """
            version: 1
            workdir: work
            dataset: {layout: folder_per_class, root: videos, val_fraction: 0, test_fraction: 0.3}
            extract: {models: \(FeaturesCommandTests.models), sampling: {uniform: 2}, batch: 4}
            train: {task: clip, epochs: 400, hidden: 16, batch: 4}
            predict: {videos: all}
            """
        try pipeline.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = ["run", dir + "/p.yaml", "--log-format", "json"]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Take the workdir away once training has started (its first epoch event): renamed in one
        // step, as `rm -rf` would race with the files the run is still creating.
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("\"event\":\"epoch\"") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        try #require(rename(dir + "/work", dir + "/work.gone") == 0)
        let rest = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(String(decoding: seen, as: UTF8.self).contains("\"event\":\"epoch\""), "training never started")
        #expect(process.terminationStatus == 1, "\(String(decoding: seen + rest, as: UTF8.self)) \(errors)")
        #expect(errors.contains("\(dir)/work: the workdir was removed, moved or replaced"), "\(errors)")
    }
}
