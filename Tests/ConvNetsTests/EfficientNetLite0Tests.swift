// The oneDNN EfficientNet-Lite0 against PyTorch with the same real ImageNet weights, on the three
// real photos of the fixture and both input normalisations, batched and one by one: features, 2x2
// grid and logits within tolerance, and each photo's top class one a person would accept.
import Foundation
import SafeTensors
import TensorCore
import Testing

@testable import ConvNets

struct EfficientNetLite0Tests {
    /// ImageNet indices PyTorch ranks first for chelsea (tiger cat), coffee (espresso), rocket (missile).
    static let topClasses = [282, 967, 657]

    static func loadNetwork() throws -> EfficientNetLite0? {
        guard FileManager.default.fileExists(atPath: NaiveEfficientNetTests.weightsPath) else {
            Issue.record(
                "missing \(NaiveEfficientNetTests.weightsPath): run scripts/fetch-weights (scripts/bootstrap does)")
            return nil
        }
        return try EfficientNetLite0(weights: EfficientNetLite0Weights(path: NaiveEfficientNetTests.weightsPath))
    }

    @Test(arguments: [("lite_127_128", InputNormalization.lite), ("imagenet_meanstd", InputNormalization.imagenet)])
    func matchesPyTorchOnRealPhotos(norm: String, normalization: InputNormalization) throws {
        guard let network = try Self.loadNetwork() else { return }
        let references = try (0..<3).map { try NaiveEfficientNetTests.reference($0, norm: norm) }
        let batch = normalization.tensor(from: references.map(\.picture), height: 224, width: 224)
        let out = try network.forward(batch)
        func compare(_ name: String, _ actual: Tensor, _ expected: [Float], _ tolerance: Float) {
            let comparison = TensorComparison(
                actual: actual.reshaped([-1]), expected: Tensor(shape: [expected.count], storage: expected),
                absoluteTolerance: tolerance)
            // Printed on success too: the issue asks to see the max |diff| against PyTorch.
            print("EfficientNetLite0 vs PyTorch, \(norm) \(name): \(comparison)")
            #expect(comparison.passed, "\(norm) \(name): \(comparison)")
        }
        compare("features", out.features, references.flatMap(\.features), 1e-3)
        compare("grid", out.grid, references.flatMap(\.grid), 1e-3)
        compare("logits", out.logits, references.flatMap(\.logits), 5e-3)
        if normalization == .lite {
            for n in 0..<3 {
                let row = Array(out.logits.storage[(n * 1000)..<((n + 1) * 1000)])
                #expect(row.indices.max { row[$0] < row[$1] } == Self.topClasses[n], "photo \(n)")
            }
        }
    }

    @Test func aReusedPlanGivesTheSameOutputAgain() throws {
        guard let network = try Self.loadNetwork() else { return }
        let pictures = try (0..<2).map { try NaiveEfficientNetTests.reference($0, norm: "lite_127_128").picture }
        let first = try network.forward(InputNormalization.lite.tensor(from: pictures, height: 224, width: 224))
        // Another input through the same plan in between: its buffers must not leak into the next pass.
        _ = try network.forward(InputNormalization.lite.tensor(from: pictures.reversed(), height: 224, width: 224))
        let again = try network.forward(InputNormalization.lite.tensor(from: pictures, height: 224, width: 224))
        #expect(first.logits == again.logits)
        #expect(first.features == again.features)
    }

    @Test func batchOfOneEqualsTheBatchedRow() throws {
        guard let network = try Self.loadNetwork() else { return }
        let references = try (0..<2).map { try NaiveEfficientNetTests.reference($0, norm: "lite_127_128") }
        let batched = try network.forward(
            InputNormalization.lite.tensor(from: references.map(\.picture), height: 224, width: 224))
        let single = try network.forward(
            InputNormalization.lite.tensor(from: [references[1].picture], height: 224, width: 224))
        let comparison = TensorComparison(
            actual: single.features.reshaped([-1]),
            expected: Tensor(shape: [1280], storage: Array(batched.features.storage[1280..<2560])),
            absoluteTolerance: 1e-5)
        #expect(comparison.passed, "\(comparison)")
    }

    /// A batch larger than one pass (`maxPassBatch`, 4) is split into passes and the outputs are
    /// put back together in order: 5 pictures (a pass of 4, then 1) give, row by row, what each
    /// picture gives alone.
    @Test func aBatchSplitIntoPassesKeepsItsRows() throws {
        guard let network = try Self.loadNetwork() else { return }
        let photos = try (0..<3).map { try NaiveEfficientNetTests.reference($0, norm: "lite_127_128").picture }
        let pictures = photos + photos.reversed().prefix(2)
        #expect(pictures.count > EfficientNetLite0.maxPassBatch)
        let batched = try network.forward(InputNormalization.lite.tensor(from: pictures, height: 224, width: 224))
        #expect(batched.features.shape == [5, 1280] && batched.grid.shape == [5, 2, 2, 1280])
        for (row, picture) in pictures.enumerated() {
            let alone = try network.forward(InputNormalization.lite.tensor(from: [picture], height: 224, width: 224))
            for (name, whole, one) in [
                ("features", batched.features, alone.features), ("grid", batched.grid, alone.grid),
                ("logits", batched.logits, alone.logits),
            ] {
                let width = one.count
                let comparison = TensorComparison(
                    actual: Tensor(shape: [width], storage: Array(whole.storage[(row * width)..<((row + 1) * width)])),
                    expected: one.reshaped([-1]), absoluteTolerance: 1e-4)
                #expect(comparison.passed, "row \(row) \(name): \(comparison)")
            }
        }
    }
}
