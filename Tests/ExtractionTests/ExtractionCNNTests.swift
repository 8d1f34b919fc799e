// The extraction loop with the real CNN: each row of a cached volume equals what ConvNets gives
// for the same decoded frame — exactly the f16 rounding of it with --dtype f16, and within 1e-4
// with f32 (oneDNN may pick other kernels for other batch sizes, and the loop's batches span
// videos). Needs models/ from scripts/bootstrap.
import ConvNets
import DNNL
import Extraction
import FeatureStore
import Foundation
import TensorCore
import Testing
import VideoDecoding

struct ExtractionCNNTests {
    static let weights = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models/efficientnet_lite0.safetensors").path

    @Test(arguments: [FeatureDType.f32, .f16])
    func volumesEqualConvNetsOnTheSameFrames(dtype: FeatureDType) throws {
        try #require(
            FileManager.default.fileExists(atPath: Self.weights), "\(Self.weights) is missing: run scripts/bootstrap")
        let dir = try ExtractionFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clips = ["\(dir)/a.mp4", "\(dir)/b.mp4"]
        try ExtractionFixtures.clip(clips[0], seconds: 2, size: "160x120")
        try ExtractionFixtures.clip(clips[1], source: "smptebars", seconds: 2, size: "160x120")
        let request = FrameRequest(sampling: .uniform(3), geometry: .shortSide(256, crop: 224))
        let settings = ExtractionSettings(
            request: request, decode: DecodeOptions(threads: 1), pooling: .avg, dtype: dtype, batch: 4, jobs: 2,
            toolVersion: "test")
        let embedder = try BackboneEmbedder(backbone: .efficientnetLite0, weightsPath: Self.weights, threads: nil)
        let extraction = FeatureExtraction(
            settings: settings, store: FeatureStore(workdir: dir + "/w"), embedder: embedder,
            weightsSHA256: try ContentHash.sha256(path: Self.weights))
        let summary = try extraction.run(clips)
        #expect(summary.count(.done) == 2)
        let network = try Backbone.efficientnetLite0.load(weights: Self.weights)
        for (clip, outcome) in zip(clips, summary.outcomes) {
            let volume = try FeatureFile.read(try #require(outcome.featurePath))
            let frames = try FeatureExtractionTests.decode(clip, request)
            let expected = try network.forward(rgb24: frames.map(\.pixels)).features
            let reference =
                dtype == .f16
                ? HalfFloat.floats(fromFloat16Bits: HalfFloat.float16Bits(from: expected.storage)) : expected.storage
            let diffs = zip(volume.features.storage, reference).map { abs($0 - $1) }
            let maxDiff = diffs.max() ?? .infinity
            print("extraction vs ConvNets (\(dtype), \(clip)): max |diff| \(maxDiff)")
            #expect(volume.features.shape == expected.shape)
            // f32: 1e-4. f16: the f32 difference may move a value into the neighbouring f16 step
            // (2^-10 of its magnitude) — no more.
            let worst =
                zip(diffs, reference).map { diff, value in
                    diff - (dtype == .f16 ? abs(value) / 1024 : 0) - 1e-4
                }.max() ?? .infinity
            #expect(worst <= 0, "max |diff| \(maxDiff)")
        }
    }
}

/// The network is built on its own thread (`BackboneEmbedder`): a missing weights file is still
/// refused when the embedder is made, and a damaged one stops the run with an error naming it,
/// after which nothing is written; the thread count asked for holds on the thread that runs it.
struct BackboneEmbedderTests {
    /// OpenMP's thread count is per calling thread: the one the embedder was asked for must be set
    /// on the thread that calls `embed` (where the passes run and their primitives are made), not
    /// only on the thread that built the network. 3, so that it differs from the defaults.
    @Test func theThreadCountHoldsWhereTheNetworkRuns() throws {
        try #require(FileManager.default.fileExists(atPath: ExtractionCNNTests.weights), "run scripts/bootstrap")
        let embedder = try BackboneEmbedder(
            backbone: .efficientnetLite0, weightsPath: ExtractionCNNTests.weights, threads: 3)
        // The embedder crosses to the new thread in this box; only that thread uses it until `done`.
        final class Run: @unchecked Sendable {
            let embedder: BackboneEmbedder
            var count: Int?
            var error: Error?
            init(_ embedder: BackboneEmbedder) { self.embedder = embedder }
        }
        let seen = Run(embedder)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do {
                _ = try seen.embedder.embed([[UInt8](repeating: 90, count: 3 * 224 * 224)], pooling: .avg)
                seen.count = DNNLRuntime.threadCount
            } catch {
                seen.error = error
            }
            done.signal()
        }
        thread.start()
        done.wait()
        #expect(seen.error == nil, "\(String(describing: seen.error))")
        #expect(seen.count == 3, "OpenMP threads on the embedding thread: \(String(describing: seen.count))")
    }

    @Test func missingOrDamagedWeightsAreReported() throws {
        let dir = try ExtractionFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: (any Error).self) {
            _ = try BackboneEmbedder(backbone: .efficientnetLite0, weightsPath: dir + "/none.safetensors", threads: 1)
        }
        let damaged = dir + "/damaged.safetensors"
        try Data("not a safetensors file".utf8).write(to: URL(fileURLWithPath: damaged))
        let embedder = try BackboneEmbedder(backbone: .efficientnetLite0, weightsPath: damaged, threads: 1)
        let clip = dir + "/a.mp4"
        try ExtractionFixtures.clip(clip)
        let extraction = FeatureExtraction(
            settings: ExtractionFixtures.settings(size: 224), store: FeatureStore(workdir: dir + "/w"),
            embedder: embedder, weightsSHA256: String(repeating: "0", count: 64))
        #expect {
            _ = try extraction.run([clip])
        } throws: { "\($0)".contains(damaged) }
        #expect(FeatureStore(workdir: dir + "/w").entries().isEmpty)
    }
}
