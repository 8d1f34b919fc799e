// The oneDNN ResNet-18/50 against PyTorch (torchvision's architecture in plain torch, torch 2.13
// CPU) with the same seeded random weights, on three real photos: features, 2x2 grid and logits
// within 1e-3. Then the fast path against its naive twin on seeded inputs of another size, plan
// reuse, and strict loading (missing, unexpected and wrongly shaped tensors name the key).
import Foundation
import SafeTensors
import TensorCore
import Testing

@testable import ConvNets

struct ResNetTests {
    static func compare(_ what: String, _ actual: Tensor, _ expected: Tensor, tolerance: Float) {
        let comparison = TensorComparison(
            actual: actual.reshaped([-1]), expected: expected.reshaped([-1]), absoluteTolerance: tolerance)
        // Printed on success too: the issue asks to see the max |diff|.
        print("\(what): \(comparison)")
        #expect(comparison.passed, "\(what): \(comparison)")
    }

    @Test(arguments: [Backbone.resnet18, .resnet50])
    func matchesPyTorchOnRealPhotos(backbone: Backbone) throws {
        let network = try backbone.load(weights: SeededResNet.weightsPath(backbone))
        #expect(network.backbone == backbone)
        #expect(network.featureWidth == backbone.featureWidth)
        let pictures = try (0..<3).map { try TestPhotos.picture($0) }
        let out = try network.forward(rgb24: pictures)
        #expect(out.features.shape == [3, backbone.featureWidth])
        #expect(out.grid.shape == [3, 2, 2, backbone.featureWidth])
        #expect(out.logits.shape == [3, 1000])
        for name in ["features", "grid", "logits"] {
            let actual = name == "features" ? out.features : name == "grid" ? out.grid : out.logits
            Self.compare(
                "\(backbone.rawValue) vs PyTorch, \(name)", actual, try SeededResNet.reference(backbone, name),
                tolerance: 1e-3)
        }
    }

    /// 32x32 inputs keep the naive convolutions affordable (final map 1x1); two images for ResNet-18.
    @Test(arguments: [(Backbone.resnet18, 2), (.resnet50, 1)])
    func agreesWithItsNaiveTwin(backbone: Backbone, batch: Int) throws {
        let weights = try ResNetWeights(path: SeededResNet.weightsPath(backbone), spec: backbone.resNetSpec!)
        var rng = SeededRNG(seed: 2024)
        let input = Tensor.normal(shape: [batch, 3, 32, 32], using: &rng)
        let fast = try ResNet(weights: weights).forward(input)
        let naive = NaiveResNet.forward(weights, input: input)
        Self.compare("\(backbone.rawValue) oneDNN vs naive, features", fast.features, naive.features, tolerance: 1e-4)
        Self.compare("\(backbone.rawValue) oneDNN vs naive, grid", fast.grid, naive.grid, tolerance: 1e-4)
        Self.compare("\(backbone.rawValue) oneDNN vs naive, logits", fast.logits, naive.logits, tolerance: 1e-4)
    }

    @Test func aReusedPlanRepeatsItsOutputAndBatchingDoesNotMatter() throws {
        let network = try Backbone.resnet18.load(weights: SeededResNet.weightsPath(.resnet18))
        let pictures = try (0..<3).map { try TestPhotos.picture($0) }
        let first = try network.forward(rgb24: pictures)
        _ = try network.forward(rgb24: pictures.reversed())
        let again = try network.forward(rgb24: pictures)
        let repeated = first.logits.storage == again.logits.storage && first.features.storage == again.features.storage
        #expect(repeated, "a second pass through the same plan gave other numbers")
        let single = try network.forward(rgb24: [pictures[2]])
        Self.compare(
            "resnet18 batch of one vs row 2 of three", single.features,
            Tensor(shape: [1, 512], storage: Array(first.features.storage[1024..<1536])), tolerance: 1e-5)
    }

    @Test func blockStructureIsTorchvisions() {
        let r18 = ResNetSpec.resnet18.stages.joined().map { [$0.input, $0.width, $0.output, $0.stride] }
        #expect(r18.count == 8)
        #expect(r18.first == [64, 64, 64, 1])
        #expect(r18[2] == [64, 128, 128, 2])
        #expect(ResNetSpec.resnet18.stages.joined().filter(\.hasDownsample).count == 3)
        let r50 = Array(ResNetSpec.resnet50.stages.joined())
        #expect(r50.count == 16)
        let first: [Int] = [r50[0].input, r50[0].width, r50[0].output, r50[0].stride]
        #expect(first == [64, 64, 256, 1])
        #expect(r50[0].hasDownsample)  // 64 → 256 channels at stride 1
        let strides: [Int] = r50[3].convolutions.map { $0.stride }
        #expect(strides == [1, 2, 1])  // v1.5: the stride is on the 3x3
        #expect(r50.filter(\.hasDownsample).count == 4)
        #expect(ResNetSpec.resnet50.featureChannels == 2048)
    }
}
