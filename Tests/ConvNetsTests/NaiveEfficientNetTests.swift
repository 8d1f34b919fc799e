// The naive EfficientNet-Lite0 against PyTorch (efficientnet-lite-pytorch 0.1.0, torch 2.13 CPU)
// with the same real ImageNet weights, on real photos: features, 2x2 grid and logits within
// tolerance, and the top class a person would name. Fixture: scripts/fixtures/make-cnn-fixtures.
// Weights: models/efficientnet_lite0.safetensors from scripts/fetch-weights, photos:
// models/test-photos/ from scripts/fetch-test-photos (both run by scripts/bootstrap).
import Foundation
import SafeTensors
import TensorCore
import Testing

@testable import ConvNets

struct NaiveEfficientNetTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixture = root.appendingPathComponent(
        "Tests/ConvNetsTests/Fixtures/efficientnet_lite0_reference.safetensors"
    )
    .path
    static let weightsPath = root.appendingPathComponent("models/efficientnet_lite0.safetensors").path

    /// Photo `index` (`TestPhotos`) and PyTorch's outputs for it under `norm`.
    static func reference(
        _ index: Int, norm: String
    ) throws -> (picture: [UInt8], features: [Float], grid: [Float], logits: [Float]) {
        let file = try SafeTensorsFile(path: fixture)
        let picture = try TestPhotos.picture(index)
        func row(_ name: String, _ width: Int) throws -> [Float] {
            Array(try file.tensor("\(norm).\(name)").storage[(index * width)..<((index + 1) * width)])
        }
        return (picture, try row("features", 1280), try row("grid", 4 * 1280), try row("logits", 1000))
    }

    @Test func matchesPyTorchOnARealPhoto() throws {
        guard FileManager.default.fileExists(atPath: Self.weightsPath) else {
            Issue.record("missing \(Self.weightsPath): run scripts/fetch-weights (scripts/bootstrap does)")
            return
        }
        let weights = try EfficientNetLite0Weights(path: Self.weightsPath)
        // Photo 0 is scikit-image's "chelsea" (a tabby cat); the naive ops are slow, one photo is enough.
        let ref = try Self.reference(0, norm: "lite_127_128")
        let input = InputNormalization.lite.tensor(from: [ref.picture], height: 224, width: 224)
        let out = NaiveEfficientNet.forward(weights, input: input)
        let checks: [(String, Tensor, [Float], Float)] = [
            ("features", out.features, ref.features, 1e-3), ("grid", out.grid, ref.grid, 1e-3),
            ("logits", out.logits, ref.logits, 5e-3),
        ]
        for (name, actual, expected, tolerance) in checks {
            let comparison = TensorComparison(
                actual: actual.reshaped([-1]), expected: Tensor(shape: [expected.count], storage: expected),
                absoluteTolerance: tolerance)
            #expect(comparison.passed, "\(name): \(comparison)")
        }
        let top = out.logits.storage.indices.max { out.logits.storage[$0] < out.logits.storage[$1] }
        // 282 = "tiger cat", PyTorch's top-1 for this photo; 281 tabby and 285 Egyptian cat follow.
        #expect(top == 282)
    }
}
