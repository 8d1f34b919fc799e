// Fuzz target `safetensors`: the safetensors reader (header JSON, dtypes, shapes, offsets) and the
// feature-file validator on top of it (format name, version, tensors, shapes, byte sizes).
import FeatureStore
import SafeTensors

enum FuzzSafeTensorsTarget {
    @Sendable static func run(_ bytes: [UInt8]) {
        let path = FuzzScratch.file("input.safetensors", bytes)
        defer { FuzzScratch.remove(["input.safetensors"]) }
        if let file = try? SafeTensorsFile(path: path) {
            for name in file.names { _ = try? file.rawBytes(name) }
        }
        _ = try? FeatureFile.validate(path)
        _ = try? FeatureFile.read(path)
    }
}
