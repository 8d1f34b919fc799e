import Extraction
// The extraction loop with a stand-in CNN: volumes hold exactly the rows of the frames the decoder
// gives; batches span videos; a cached video is skipped; the key changes (and the work is redone)
// when the video's bytes, the sampling or the weights change, and not when only the mtime does;
// bad videos are reported and the rest is done.
import FeatureStore
import Foundation
import TensorCore
import Testing
import VideoDecoding

struct FeatureExtractionTests {
    @Test func volumesHoldTheDecodedFramesRowsAndBatchesSpanVideos() throws {
        let dir = try ExtractionFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clips = ["a", "b", "c"].map { "\(dir)/\($0).mp4" }
        for (clip, source) in zip(clips, ["testsrc", "smptebars", "rgbtestsrc"]) {
            try ExtractionFixtures.clip(clip, source: source)
        }
        let embedder = MeanColourEmbedder()
        let settings = ExtractionFixtures.settings(batch: 4, jobs: 2)
        let extraction = FeatureExtraction(
            settings: settings, store: FeatureStore(workdir: dir + "/work"), embedder: embedder,
            weightsSHA256: String(repeating: "0", count: 64))
        let summary = try extraction.run(clips)
        #expect(summary.count(.done) == 3, "\(summary.outcomes)")
        // 3 clips × 6 frames (fps 2 over 3 s) = 18 frames in batches of 4: 4 4 4 4 2, so at
        // least one batch holds frames of two videos.
        #expect(embedder.batches == [4, 4, 4, 4, 2], "\(embedder.batches)")
        for (clip, outcome) in zip(clips, summary.outcomes) {
            let volume = try FeatureFile.read(try #require(outcome.featurePath))
            let frames = try Self.decode(clip, settings.request)
            #expect(volume.frameCount == frames.count)
            let expected = frames.flatMap { MeanColourEmbedder.meanColour($0.pixels) }
            let same = volume.features.storage == expected
            #expect(same, "\(clip): rows differ from the decoder's frames")
            #expect(volume.timestamps == frames.map(\.time))
            #expect(volume.frameIndices == frames.map { Int64($0.frameIndex) })
            #expect(volume.info.sourcePath == clip && volume.info.decodedFrames == 30)
            #expect(volume.info.videoSHA256 == (try ContentHash.sha256(path: clip)))
        }
    }

    /// A CNN that fails stops the run with its error, and no decoder thread is left behind: none
    /// still has a video open (before, they stayed blocked on the full queue, files open).
    @Test func aFailingCNNStopsTheDecoderThreads() throws {
        let dir = try ExtractionFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clips = (0..<4).map { "\(dir)/clip\($0).mp4" }
        for clip in clips { try ExtractionFixtures.clip(clip, seconds: 6) }
        struct Broken: Error {}
        final class FailingEmbedder: FrameEmbedder, @unchecked Sendable {
            let backboneName = "failing"
            let normalizationName = "none"
            let inputSize = 32
            func embed(_ pictures: [[UInt8]], pooling: FeaturePooling) throws -> Tensor { throw Broken() }
        }
        let extraction = FeatureExtraction(
            settings: ExtractionFixtures.settings(fps: 5, batch: 1, jobs: 2), store: FeatureStore(workdir: dir + "/w"),
            embedder: FailingEmbedder(), weightsSHA256: String(repeating: "0", count: 64))
        #expect(throws: Broken.self) { _ = try extraction.run(clips) }
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")
        }.filter { $0.hasPrefix(dir) }
        #expect(open.isEmpty, "still open after the run: \(open)")
    }

    static func decode(_ path: String, _ request: FrameRequest) throws -> [RGBFrame] {
        let reader = try VideoReader(path: path, options: DecodeOptions(threads: 1)).frames(request)
        var frames: [RGBFrame] = []
        while let frame = try reader.next() { frames.append(frame) }
        return frames
    }

    @Test func cachedVideosAreSkippedAndChangesGiveNewKeys() throws {
        let dir = try ExtractionFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clip = dir + "/a.mp4"
        try ExtractionFixtures.clip(clip)
        let store = FeatureStore(workdir: dir + "/work")
        func run(_ settings: ExtractionSettings, weights: String = "0") throws -> (ExtractionSummary, String) {
            let extraction = FeatureExtraction(
                settings: settings, store: store, embedder: MeanColourEmbedder(),
                weightsSHA256: String(repeating: weights, count: 64))
            return (try extraction.run([clip]), extraction.spec.key)
        }
        let (first, key) = try run(ExtractionFixtures.settings())
        #expect(first.count(.done) == 1)
        let (again, sameKey) = try run(ExtractionFixtures.settings())
        #expect(again.count(.skipped) == 1 && sameKey == key && again.framesEmbedded == 0)
        // Touching only the mtime: same content hash, nothing recomputed.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: clip)
        #expect(try run(ExtractionFixtures.settings()).0.count(.skipped) == 1)
        // Other sampling: a new key, recomputed.
        let (resampled, otherKey) = try run(ExtractionFixtures.settings(fps: 1))
        #expect(resampled.count(.done) == 1 && otherKey != key)
        // Other weights: a new key, recomputed.
        let (reweighted, weightsKey) = try run(ExtractionFixtures.settings(), weights: "1")
        #expect(reweighted.count(.done) == 1 && weightsKey != key && weightsKey != otherKey)
        // Other bytes: a new video hash under the same key, recomputed.
        try ExtractionFixtures.clip(clip, source: "smptebars")
        let (rewritten, rewrittenKey) = try run(ExtractionFixtures.settings())
        #expect(rewritten.count(.done) == 1 && rewrittenKey == key)
        #expect(store.entries().count == 4)
    }

    @Test func badVideosAreReportedAndTheRestIsDone() throws {
        let dir = try ExtractionFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ExtractionFixtures.clip(dir + "/good1.mp4")
        try ExtractionFixtures.clip(dir + "/good2.mp4", source: "smptebars")
        _ = FileManager.default.createFile(atPath: dir + "/empty.mp4", contents: Data())
        _ = FileManager.default.createFile(atPath: dir + "/text.mp4", contents: Data("not a video".utf8))
        let fifo = dir + "/fifo.mp4"
        #expect(mkfifo(fifo, 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/loop.mp4", withDestinationPath: dir + "/loop.mp4")
        let paths = ["empty", "good1", "fifo", "text", "loop", "missing", "good2"].map { "\(dir)/\($0).mp4" }
        let extraction = FeatureExtraction(
            settings: ExtractionFixtures.settings(), store: FeatureStore(workdir: dir + "/work"),
            embedder: MeanColourEmbedder(), weightsSHA256: String(repeating: "0", count: 64))
        let summary = try extraction.run(paths)
        let status = Dictionary(uniqueKeysWithValues: summary.outcomes.map { ($0.path, $0) })
        for good in ["good1", "good2"] { #expect(status["\(dir)/\(good).mp4"]?.status == .done) }
        let reasons: [String: String] = [
            "empty": "notAVideo", "fifo": "notARegularFile", "text": "notAVideo", "loop": "notARegularFile",
            "missing": "fileNotFound",
        ]
        for (name, kind) in reasons {
            let outcome = status["\(dir)/\(name).mp4"]
            #expect(outcome?.status == .failed, "\(name)")
            #expect(outcome?.reason?.hasPrefix(kind) == true, "\(name): \(outcome?.reason ?? "no reason")")
        }
    }
}
