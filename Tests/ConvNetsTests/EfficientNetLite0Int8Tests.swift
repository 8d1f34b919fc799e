// The int8 EfficientNet-Lite0 on oneDNN against its naive twin (`NaiveEfficientNetInt8`, the same
// scales through `Naive.quantizedConv2d`) and against the f32 network and PyTorch on the three real
// photos: the same ImageNet top-1 as f32 and PyTorch, features close to f32 (cosine), and a
// calibration file that refuses damage.
import Basics
import DNNL
import Foundation
import TensorCore
import Testing

@testable import ConvNets

struct EfficientNetLite0Int8Tests {
    static func photosBatch() throws -> Tensor {
        let pictures = try (0..<3).map { try TestPhotos.picture($0) }
        return InputNormalization.lite.tensor(from: pictures, height: 224, width: 224)
    }

    /// The shipped calibration (frames of the motion clips made from real photos; see
    /// calibration/README.md), as `--precision int8` uses it.
    static let calibrationPath = NaiveEfficientNetTests.root.appendingPathComponent(
        "calibration/efficientnet_lite0.int8.json"
    ).path

    static func networks() throws -> (f32: EfficientNetLite0, int8: EfficientNetLite0Int8, input: Tensor)? {
        guard let f32 = try EfficientNetLite0Tests.loadNetwork() else { return nil }
        let calibration = try Int8Calibration.load(path: calibrationPath, backbone: .efficientnetLite0)
        return (f32, try EfficientNetLite0Int8(weights: f32.weights, calibration: calibration), try photosBatch())
    }

    /// Whether oneDNN runs the int8 convolutions without VNNI (AVX2): it then multiplies u8 by s8
    /// with vpmaddubsw and, for an s8 source, keeps the weights at half scale (7 bits) so the pairwise
    /// sums cannot saturate; the twin keeps 8-bit weights, so results differ a little.
    static func withoutVNNI(_ network: EfficientNetLite0Int8) throws -> Bool {
        try network.implementations().contains { !$0.contains("vnni") && !$0.contains("amx") }
    }

    static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        var dot: Float = 0
        var na: Float = 0
        var nb: Float = 0
        for (x, y) in zip(a, b) {
            dot += x * y
            na += x * x
            nb += y * y
        }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    @Test func int8KeepsTopClassAndFeaturesOfRealPhotos() throws {
        guard let (f32, int8, input) = try Self.networks() else { return }
        let reference = try f32.forward(input)
        let quantized = try int8.forward(input)
        print("EfficientNetLite0Int8 kernels: \(Set(try int8.implementations()).sorted())")
        for n in 0..<3 {
            let row = Array(quantized.logits.storage[(n * 1000)..<((n + 1) * 1000)])
            let ranked = row.indices.sorted { row[$0] > row[$1] }
            let f32Row = Array(reference.logits.storage[(n * 1000)..<((n + 1) * 1000)])
            let f32Ranked = f32Row.indices.sorted { f32Row[$0] > f32Row[$1] }
            #expect(f32Ranked[0] == EfficientNetLite0Tests.topClasses[n])
            if n == 0 {
                // chelsea is a near-tie in f32 and in PyTorch (tiger cat 0.388, Egyptian cat 0.365):
                // int8 ranks the same two first, in either order (measured: Egyptian cat first).
                #expect(Set(ranked.prefix(2)) == Set(f32Ranked.prefix(2)), "chelsea: int8 top-2 \(ranked.prefix(2))")
            } else {
                #expect(ranked[0] == EfficientNetLite0Tests.topClasses[n], "photo \(n): int8 top-1 \(ranked[0])")
            }
            let width = 1280
            let similarity = Self.cosine(
                quantized.features.storage[(n * width)..<((n + 1) * width)],
                reference.features.storage[(n * width)..<((n + 1) * width)])
            print("EfficientNetLite0Int8 photo \(n): feature cosine with f32 \(similarity)")
            // Measured: 0.998 / 0.996 / 0.987 with VNNI, 0.998 / 0.996 / 0.986 on AVX2.
            #expect(similarity >= 0.98, "photo \(n): cosine \(similarity)")
        }
    }

    /// RGB24 bytes go straight into the stem's s8 input (`forward(rgb24:)`, what extraction calls):
    /// the same features and logits, to the bit, as the normalised f32 picture and its quantising
    /// reorder; a batch over one pass (16) is split as before; another recipe takes the f32 route.
    /// The same for the widened u8 stem (`Int8WidenedStem`), whose bytes go in as they are.
    @Test(arguments: [Int8Scheme.StemInput.s8, .widenedU8])
    func rgb24BytesGiveWhatTheNormalisedPictureGives(stemInput: Int8Scheme.StemInput) throws {
        guard let (_, int8, _) = try Self.networks() else { return }
        int8.stemInput = stemInput
        let plan = try EfficientNetInt8Plan(
            scheme: int8.scheme, batch: 3, stream: DNNL.Stream(engine: Engine()), stemInput: stemInput)
        #expect(
            plan.takesChannelsLastInput == (stemInput == .s8),
            "the s8 stem reads s8 channels-last, so the bytes path is the one tested")
        let photos = try (0..<3).map { try TestPhotos.picture($0) }
        var pictures = photos
        // Extremes: 0 and 255 (which the s8 stem saturates to 127) in every channel.
        pictures.append([UInt8](repeating: 255, count: 3 * 224 * 224))
        pictures.append([UInt8](repeating: 0, count: 3 * 224 * 224))
        pictures += Array(repeating: photos, count: 5).flatMap { $0 }  // 20 pictures: passes of 16 and 4
        let fromBytes = try int8.forward(rgb24: pictures)
        let fromTensor = try int8.forward(InputNormalization.lite.tensor(from: pictures, height: 224, width: 224))
        #expect(fromBytes.features.storage == fromTensor.features.storage)
        #expect(fromBytes.logits.storage == fromTensor.logits.storage)
        #expect(fromBytes.grid.storage == fromTensor.grid.storage && fromBytes.grid.shape == [20, 2, 2, 1280])
        let imagenet = try int8.forward(rgb24: photos, normalization: .imagenet)
        let imagenetTensor = try int8.forward(
            InputNormalization.imagenet.tensor(from: photos, height: 224, width: 224))
        #expect(imagenet.features.storage == imagenetTensor.features.storage)
    }

    /// The fast path and the twin compute the same integers; a rare one-unit difference in rounding
    /// (a different order of float multiply-adds in a JIT kernel, or weights at half scale on CPUs
    /// without VNNI) propagates, so the comparison is on the dequantised features.
    @Test func int8NetworkMatchesItsNaiveTwin() throws {
        guard let (_, int8, input) = try Self.networks() else { return }
        let one = Tensor(shape: [1, 3, 224, 224], storage: Array(input.storage[0..<(3 * 224 * 224)]))
        let fast = try int8.forward(one)
        let twin = NaiveEfficientNetInt8.forward(int8.weights, calibration: int8.calibration, input: one)
        let similarity = Self.cosine(fast.features.storage[...], twin.features.storage[...])
        let worst = zip(fast.features.storage, twin.features.storage).map { abs($0 - $1) }.max() ?? 0
        print("EfficientNetLite0Int8 vs its naive twin: cosine \(similarity), max |diff| \(worst)")
        // With VNNI the integers are the same (measured: max |diff| 1e-6, float rounding of the
        // pooling); without it the half-scale weights of the s8-source layers move them a little
        // (measured: cosine 0.997).
        #expect(similarity >= (try Self.withoutVNNI(int8) ? 0.995 : 0.99999), "cosine \(similarity)")
    }

    /// The widened stem (what CPUs without VNNI run) against its twin, and against the s8 stem:
    /// with VNNI both stems have 8-bit weights and compute the same integers for pictures without
    /// bytes of 255 (which the s8 stem saturates to 254), so the features are the same to the bit.
    @Test func theWidenedStemMatchesItsTwinAndTheS8Stem() throws {
        guard let (_, int8, input) = try Self.networks() else { return }
        let withoutVNNI = try Self.withoutVNNI(int8)
        let one = Tensor(shape: [1, 3, 224, 224], storage: Array(input.storage[0..<(3 * 224 * 224)]))
        int8.stemInput = .widenedU8
        let widened = try int8.forward(one)
        let twin = NaiveEfficientNetInt8.forward(
            int8.weights, calibration: int8.calibration, input: one, stemInput: .widenedU8)
        let similarity = Self.cosine(widened.features.storage[...], twin.features.storage[...])
        print("EfficientNetLite0Int8 widened stem vs its twin: cosine \(similarity)")
        // As `int8NetworkMatchesItsNaiveTwin`: the same integers with VNNI; without it the 1x1
        // convolutions reading s8 have half-scale weights in oneDNN, not in the twin.
        #expect(similarity >= (withoutVNNI ? 0.995 : 0.99999), "cosine \(similarity)")
        let pictures = try (0..<3).map { try TestPhotos.picture($0).map { min($0, 254) } }
        int8.stemInput = .s8
        let s8 = try int8.forward(rgb24: pictures)
        int8.stemInput = .widenedU8
        let all = try int8.forward(rgb24: pictures)
        if withoutVNNI {
            // The s8 stem's weights are at 7 bits there, which is why the widened one exists.
            let agreement = Self.cosine(all.features.storage[...], s8.features.storage[...])
            #expect(agreement >= 0.98, "cosine \(agreement)")
        } else {
            #expect(all.features.storage == s8.features.storage && all.logits.storage == s8.logits.storage)
        }
    }

    @Test func aDamagedOrForeignCalibrationFileIsRefused() throws {
        let good = try Int8Calibration.load(path: Self.calibrationPath, backbone: .efficientnetLite0)
        #expect(good.channelRanges.count == Int8Scheme.calibratedLayers)
        #expect(good.identity == good.checksum + (DNNLRuntime.usesVNNI ? "+r6u8" : "+r6u8w7u8stem"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("int8-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func refused(_ text: String, _ expected: String) throws {
            let path = folder.appendingPathComponent("c.json").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect {
                _ = try Int8Calibration.load(path: path, backbone: .efficientnetLite0)
            } throws: { "\($0)".contains(expected) && "\($0)".contains(path) }
        }
        let text = try String(contentsOfFile: Self.calibrationPath, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "\"pictures\":256", with: "\"pictures\":255")
        #expect(edited != text)
        try refused(edited, "checksum")
        try refused(text.replacingOccurrences(of: "\"version\":1", with: "\"version\":2"), "format version")
        try refused("{}", "not an int8 calibration file")
        #expect(throws: ClassifierError.self) {
            _ = try Int8Calibration.load(path: Self.calibrationPath, backbone: .resnet50)
        }
    }

    /// A file as `write` makes it passes the check on its bytes; the same content re-indented
    /// fails that check but is accepted by the check on its decoded content, and gives the same
    /// calibration; a second load of either (memoised) gives it again.
    @Test func checksumIsCheckedOnTheBytesOrTheContent() throws {
        let good = try Int8Calibration.load(path: Self.calibrationPath, backbone: .efficientnetLite0)
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.calibrationPath))
        #expect(Int8Calibration.checksumOfWrittenFile(data, claimed: good.checksum))
        #expect(!Int8Calibration.checksumOfWrittenFile(data, claimed: String(repeating: "0", count: 64)))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("int8-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pretty = Data(CanonicalJSON.string(of: good, pretty: true).utf8)
        #expect(!Int8Calibration.checksumOfWrittenFile(pretty, claimed: good.checksum))
        let path = folder.appendingPathComponent("pretty.json").path
        try pretty.write(to: URL(fileURLWithPath: path))
        for _ in 0..<2 {
            #expect(try Int8Calibration.load(path: path, backbone: .efficientnetLite0) == good)
        }
        let written = folder.appendingPathComponent("written.json").path
        try good.write(to: written)
        #expect(try Data(contentsOf: URL(fileURLWithPath: written)) == data)
    }
}
