// Helpers for the feature-store tests: temporary workdirs and small volumes with known values.
import FeatureStore
import Foundation
import TensorCore
import TestSupport

enum StoreFixtures {
    static func temporaryDirectory() throws -> String { try TemporaryDirectory.make("store") }

    static func spec(sampling: String = "fps:1.0", dtype: FeatureDType = .f32) -> ExtractorSpec {
        ExtractorSpec(
            backbone: "efficientnet-lite0", weightsSHA256: String(repeating: "ab", count: 32), sampling: sampling,
            geometry: "short_side:256,crop:224", interpolation: "bilinear", applyRotation: true, normalization: "lite",
            pooling: .avg, dtype: dtype)
    }

    /// A [t, d] volume with seeded values, timestamps 0, 0.5, 1, … and frame indices 0, 15, 30, ….
    static func volume(
        t: Int = 5, d: Int = 8, spec: ExtractorSpec = spec(), sha: String = String(repeating: "c", count: 64),
        source: String = "/videos/a.mp4"
    ) -> FeatureVolume {
        var rng = SeededRNG(seed: 7)
        let features = Tensor(shape: [t, d]) { _ in rng.normal() }
        let info = FeatureVolumeInfo(
            sourcePath: source, videoSHA256: sha, spec: spec, decodedFrames: 15 * t, headerFrames: 15 * t,
            toolVersion: "test", created: "2026-11-27T00:00:00Z")
        return FeatureVolume(
            features: features, timestamps: (0..<t).map { Double($0) * 0.5 },
            frameIndices: (0..<t).map { Int64($0 * 15) }, info: info)
    }
}
