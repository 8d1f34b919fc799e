// The int8 ResNet-18/50 on oneDNN against its naive twin (`NaiveResNetInt8`, the same scales through
// `Naive.quantizedConv2d`) and against the f32 network on the three real photos, with the seeded
// random weights (no pretrained ResNet weights can be fetched here, so ImageNet accuracy is not
// measured): features close to f32, the same top-1 where f32's is clear, calibration files checked
// for the backbone's tensor count.
import Foundation
import TensorCore
import Testing

@testable import ConvNets

struct ResNetInt8Tests {
    static func photos() throws -> [[UInt8]] { try (0..<3).map { try TestPhotos.picture($0) } }

    /// A calibration of the seeded `backbone` on the three photos (`vidact calibrate` uses a few
    /// hundred frames; three pictures are enough to exercise every scale).
    static func calibration(_ f32: ResNet) throws -> Int8Calibration {
        var statistics = ChannelStatistics()
        try f32.channelStatistics(
            InputNormalization.imagenet.tensor(from: photos(), height: 224, width: 224), into: &statistics)
        return Int8Calibration(backbone: f32.backbone, pictures: 3, source: "the test photos", statistics: statistics)
    }

    static func networks(_ backbone: Backbone) throws -> (f32: ResNet, int8: ResNetInt8) {
        let spec = try #require(backbone.resNetSpec)
        let weights = try ResNetWeights(path: SeededResNet.weightsPath(backbone), spec: spec)
        let f32 = try ResNet(weights: weights)
        return (f32, try ResNetInt8(weights: weights, calibration: calibration(f32)))
    }

    @Test(arguments: [Backbone.resnet18, .resnet50])
    func int8KeepsTheFeaturesOfRealPhotos(backbone: Backbone) throws {
        let (f32, int8) = try Self.networks(backbone)
        let reference = try f32.forward(rgb24: Self.photos())
        let quantized = try int8.forward(rgb24: Self.photos())
        print("\(backbone.rawValue) int8 kernels: \(Set(try int8.implementations()).sorted())")
        let width = backbone.featureWidth
        for n in 0..<3 {
            let similarity = EfficientNetLite0Int8Tests.cosine(
                quantized.features.storage[(n * width)..<((n + 1) * width)],
                reference.features.storage[(n * width)..<((n + 1) * width)])
            let row = Array(reference.logits.storage[(n * 1000)..<((n + 1) * 1000)])
            let ranked = row.indices.sorted { row[$0] > row[$1] }
            let int8Row = Array(quantized.logits.storage[(n * 1000)..<((n + 1) * 1000)])
            let int8Top = int8Row.indices.max { int8Row[$0] < int8Row[$1] }
            let margin = row[ranked[0]] - row[ranked[1]]
            print(
                "\(backbone.rawValue) int8 photo \(n): feature cosine with f32 \(similarity), top-1 f32 \(ranked[0]) "
                    + "(margin \(margin)), int8 \(int8Top ?? -1)")
            #expect(similarity >= 0.99, "photo \(n): cosine \(similarity)")
            // A random network's top two logits can be a near-tie, which int8 may swap; a clear top-1
            // (margin above 5 % of the logits' spread) must survive.
            let spread = (row.max() ?? 0) - (row.min() ?? 0)
            if margin > 0.05 * spread { #expect(int8Top == ranked[0], "photo \(n): int8 top-1 \(int8Top ?? -1)") }
        }
    }

    /// 32x32 inputs keep the naive convolutions affordable. The twin computes the same integers; a
    /// one-unit difference in rounding (another order of float operations in a JIT kernel, or
    /// half-scale weights for s8 sources on CPUs without VNNI) propagates, so the comparison is on
    /// the dequantised features.
    @Test(arguments: [Backbone.resnet18, .resnet50])
    func int8NetworkMatchesItsNaiveTwin(backbone: Backbone) throws {
        let (_, int8) = try Self.networks(backbone)
        var rng = SeededRNG(seed: 2024)
        let input = Tensor.uniform(shape: [1, 3, 32, 32], -2, 2, using: &rng)
        let fast = try int8.forward(input)
        let twin = NaiveResNetInt8.forward(int8.weights, calibration: int8.calibration, input: input)
        let similarity = EfficientNetLite0Int8Tests.cosine(fast.features.storage[...], twin.features.storage[...])
        let worst = zip(fast.features.storage, twin.features.storage).map { abs($0 - $1) }.max() ?? 0
        print("\(backbone.rawValue) int8 vs its naive twin: cosine \(similarity), max |diff| \(worst)")
        let withoutVNNI = try int8.implementations(shape: [1, 3, 32, 32]).contains {
            !$0.contains("vnni") && !$0.contains("amx")
        }
        #expect(similarity >= (withoutVNNI ? 0.995 : 0.9999), "cosine \(similarity)")
    }

    @Test func aCalibrationIsCheckedAgainstTheBackbone() throws {
        let (f32, _) = try Self.networks(.resnet18)
        let calibration = try Self.calibration(f32)
        #expect(calibration.channelRanges.map(\.count) == ResNetInt8Scheme.calibratedWidths(.resnet18))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("int8-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("resnet18.json").path
        try calibration.write(to: path)
        #expect(try Int8Calibration.load(path: path, backbone: .resnet18) == calibration)
        #expect { _ = try Int8Calibration.load(path: path, backbone: .resnet50) } throws: {
            "\($0)".contains("is for resnet18, not resnet50")
        }
        #expect {
            _ = try Backbone.resnet18.load(weights: SeededResNet.weightsPath(.resnet18), precision: .int8)
        } throws: { "\($0)".contains("int8 needs a calibration file") }
        let loaded = try Backbone.resnet18.load(
            weights: SeededResNet.weightsPath(.resnet18), precision: .int8, calibration: path)
        #expect(loaded is ResNetInt8)
    }
}
