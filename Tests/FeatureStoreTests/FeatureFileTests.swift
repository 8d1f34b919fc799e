// The feature file: round trip in F32 and F16 (within f16 rounding), and every way a file can be
// wrong is refused with a message naming the file and the problem.
import FeatureStore
import Foundation
import SafeTensors
import TensorCore
import Testing

struct FeatureFileTests {
    @Test(arguments: [FeatureDType.f32, .f16])
    func roundTrip(dtype: FeatureDType) throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let volume = StoreFixtures.volume(spec: StoreFixtures.spec(dtype: dtype))
        let path = dir + "/v.safetensors"
        try FeatureFile.write(volume, to: path)
        let back = try FeatureFile.read(path)
        #expect(back.features.shape == [5, 8])
        var maxDiff: Float = 0
        var maxRelative: Float = 0
        for (a, b) in zip(back.features.storage, volume.features.storage) {
            maxDiff = max(maxDiff, abs(a - b))
            maxRelative = max(maxRelative, abs(a - b) / max(abs(b), 1e-3))
        }
        print("feature file \(dtype): max |diff| \(maxDiff), max relative \(maxRelative)")
        // f16 keeps 11 significant bits: relative error ≤ 2^-11.
        #expect(dtype == .f32 ? maxDiff == 0 : maxRelative <= 1.0 / 2048)
        #expect(back.timestamps == volume.timestamps)
        #expect(back.frameIndices == volume.frameIndices)
        #expect(back.info == volume.info)
        let timeline = try FeatureFile.readTimeline(path)
        #expect(timeline.timestamps == volume.timestamps && timeline.frameIndices == volume.frameIndices)
        let raw = try SafeTensorsFile(path: path)
        #expect(raw.metadata["format"] == "vidact-features")
        #expect(raw.metadata["extractor_key"] == volume.info.spec.key)
        #expect(try raw.info("features").dtype == (dtype == .f16 ? .f16 : .f32))
    }

    /// Writes a file with the given tensors and metadata, bypassing FeatureFile's writer.
    func writeRaw(
        _ path: String, metadata: [String: String], features: Tensor = Tensor(zeros: [2, 3]),
        timestamps: [Double] = [0, 1], indices: [Int64] = [0, 1], skip: String? = nil
    ) throws {
        var writer = SafeTensorsWriter(metadata: metadata)
        if skip != "features" { writer.add("features", features) }
        if skip != "timestamps" { writer.add("timestamps", timestamps, shape: [timestamps.count]) }
        if skip != "frame_indices" { writer.add("frame_indices", indices, shape: [indices.count]) }
        try writer.write(to: path)
    }

    func goodMetadata(_ spec: ExtractorSpec = StoreFixtures.spec()) -> [String: String] {
        [
            "format": "vidact-features", "version": "1", "extractor_spec": spec.canonicalJSON,
            "extractor_key": spec.key, "video_sha256": String(repeating: "a", count: 64),
        ]
    }

    @Test func invalidFilesAreRefusedWithTheirReason() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var cases: [(String, String)] = []
        func check(_ name: String, expect fragment: String, _ make: (String) throws -> Void) throws {
            let path = "\(dir)/\(name).safetensors"
            try make(path)
            do {
                _ = try FeatureFile.read(path)
                Issue.record("\(name): read succeeded")
            } catch let error as FeatureStoreError {
                #expect(error.kind == .invalidFile, "\(name): \(error)")
                #expect(error.path == path)
                #expect(error.detail.contains(fragment), "\(name): \(error.detail)")
                cases.append((name, error.detail))
            }
        }
        // The control: the same construction with nothing wrong reads.
        try writeRaw("\(dir)/control.safetensors", metadata: goodMetadata())
        #expect(try FeatureFile.read("\(dir)/control.safetensors").frameCount == 2)
        var meta = goodMetadata()
        meta["format"] = "something-else"
        try check("format", expect: "not a vidact feature file") { try writeRaw($0, metadata: meta) }
        meta = goodMetadata()
        meta["version"] = "9"
        try check("version", expect: "version 9") { try writeRaw($0, metadata: meta) }
        try check("missing", expect: "tensors are") { try writeRaw($0, metadata: goodMetadata(), skip: "timestamps") }
        meta = goodMetadata()
        meta["extractor_key"] = "0000000000000000"
        try check("key", expect: "does not match its spec") { try writeRaw($0, metadata: meta) }
        meta = goodMetadata()
        meta["extractor_spec"] = "{not json"
        try check("spec", expect: "extractor_spec") { try writeRaw($0, metadata: meta) }
        try check("shape", expect: "shapes") {
            try writeRaw($0, metadata: goodMetadata(), timestamps: [0, 1, 2], indices: [0, 1, 2])
        }
        try check("empty", expect: "shapes") {
            try writeRaw($0, metadata: goodMetadata(), features: Tensor(zeros: [0, 3]), timestamps: [], indices: [])
        }
        try check("dtype", expect: "dtypes") {
            try writeRaw($0, metadata: goodMetadata(StoreFixtures.spec(dtype: .f16)))
        }
        try check("nan", expect: "NaN") { try writeRaw($0, metadata: goodMetadata(), timestamps: [0, .nan]) }
        // A file cut short: the safetensors header check refuses it.
        try check("truncated", expect: "past the end") { path in
            try FeatureFile.write(StoreFixtures.volume(), to: path)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: path))
        }
        try check("garbage", expect: "fewer than") { try Data("hello".utf8).write(to: URL(fileURLWithPath: $0)) }
        #expect(cases.count == 11, "\(cases)")
    }
}
