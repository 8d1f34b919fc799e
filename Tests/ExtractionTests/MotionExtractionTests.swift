// Motion through the whole extraction loop (`FeatureExtraction` with `motionReferences`): a clip
// made by the ffmpeg CLI from a real photo panned at a known speed gives that camera motion in the
// stored `motion` tensor (and a file of format version 2 whose spec names the descriptor), while
// bad inputs give defined motion and never a crash: a one-frame clip and a still image (zeros), a
// stream that changes size mid-way, and an intra-only stream.
import FeatureStore
import Foundation
import TestSupport
import Testing
import VideoDecoding

@testable import Extraction

struct MotionExtractionTests {
    static let photo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models/test-photos/chelsea.png").path
    static let decodeFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("VideoDecodingTests/Fixtures")

    /// 12 frames at 10 fps of a 224x224 window sliding right over the photo by `step` px per frame
    /// (the content moves left), encoded with `codec` arguments. The crop works on RGB: on yuv420p
    /// the crop filter rounds odd offsets down to even ones, which would make the steps 2 and 4 px.
    static func pan(_ path: String, step: Int, codec: [String] = ["-c:v", "libx264", "-g", "12"]) throws {
        #expect(FileManager.default.fileExists(atPath: photo), "missing \(photo): run scripts/fetch-test-photos")
        let result = try runProcess(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-y", "-framerate", "10", "-loop", "1", "-i", photo, "-vf",
                "scale=-2:256,format=rgb24,crop=224:224:x='20+\(step)*n':y=16,format=yuv420p", "-frames:v", "12",
            ]
                + codec + [path])
        #expect(result.status == 0, "\(result.stderr)")
    }

    static func extract(_ paths: [String], workdir: String) throws -> ExtractionSummary {
        let settings = ExtractionSettings(
            request: FrameRequest(
                sampling: .uniform(4), geometry: .size(width: 224, height: 224), motionReferences: true),
            decode: DecodeOptions(threads: 1), pooling: .avg, dtype: .f32, batch: 4, jobs: 2, toolVersion: "test")
        let extraction = FeatureExtraction(
            settings: settings, store: FeatureStore(workdir: workdir), embedder: MeanColourEmbedder(inputSize: 224),
            weightsSHA256: "0")
        #expect(extraction.spec.motion == MotionDescriptor.version)
        return try extraction.run(paths)
    }

    @Test func aPannedPhotoGivesItsCameraMotionInTheVolume() throws {
        let dir = try ExtractionFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clip = dir + "/pan.mp4"
        try Self.pan(clip, step: 3)
        let summary = try Self.extract([clip], workdir: dir + "/w")
        let path = try #require(summary.outcomes.first?.featurePath, "\(summary.outcomes)")
        let volume = try FeatureFile.read(path)
        let motion = try #require(volume.motion)
        #expect(motion.shape == [4, MotionDescriptor.width] && volume.frameCount == 4)
        #expect(volume.frameIndices == [0, 4, 7, 11], "uniform:4 of 12 frames")
        // Frame 0 has no predecessor: zeros. The others: content left by 3 px of 224 per frame at
        // 10 fps, i.e. tx = −3/224 · 10 frame sizes per second, within 0.5 px a frame.
        #expect(motion.storage[0..<MotionDescriptor.width].allSatisfy { $0 == 0 })
        for row in 1..<4 {
            let tx = motion.storage[row * MotionDescriptor.width]
            let ty = motion.storage[row * MotionDescriptor.width + 1]
            #expect(abs(tx - Float(-3.0 / 224 * 10)) < Float(0.5 / 224 * 10), "row \(row): tx \(tx)")
            #expect(abs(ty) < Float(0.5 / 224 * 10), "row \(row): ty \(ty)")
        }
    }

    @Test func badInputsGiveDefinedMotion() throws {
        let dir = try ExtractionFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let intra = dir + "/intra.avi"
        try Self.pan(intra, step: -2, codec: ["-c:v", "mjpeg", "-q:v", "3"])
        let inputs = [
            Self.decodeFixtures.appendingPathComponent("one_frame.mp4").path, Self.photo,
            Self.decodeFixtures.appendingPathComponent("size_change.ts").path, intra,
        ]
        let summary = try Self.extract(inputs, workdir: dir + "/w")
        for outcome in summary.outcomes {
            #expect(outcome.status == .done, "\(outcome.path): \(outcome.reason ?? "")")
        }
        let volumes = try summary.outcomes.map { try FeatureFile.read(try #require($0.featurePath)) }
        for volume in volumes.prefix(2) {
            #expect(volume.motion?.storage.allSatisfy { $0 == 0 } == true, "\(volume.info.sourcePath): no motion")
        }
        #expect(volumes[2].motion?.shape == [volumes[2].frameCount, MotionDescriptor.width])
        let intraMotion = try #require(volumes[3].motion)
        let width = MotionDescriptor.width
        #expect(
            intraMotion.storage[width] > 0.02, "an intra-only stream still has motion: tx \(intraMotion.storage[width])"
        )
    }
}
