// The extractor key: the SHA-256 of the canonical spec JSON (checked against coreutils' sha256sum),
// stable for equal specs, different for any change of a setting that changes the numbers.
import FeatureStore
import Foundation
import TestSupport
import Testing

struct ExtractorSpecTests {
    @Test func keyIsTheSHA256OfTheCanonicalJSONAsSha256sumComputesIt() throws {
        let spec = StoreFixtures.spec()
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/spec.json"
        try spec.canonicalJSON.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runProcess("sha256sum", [file])
        #expect(result.status == 0)
        let expected = String(result.stdout.prefix(16))
        #expect(spec.key == expected, "canonical JSON: \(spec.canonicalJSON)")
        // Sorted keys, no whitespace.
        #expect(spec.canonicalJSON.hasPrefix("{\"apply_rotation\":true,\"backbone\":\"efficientnet-lite0\""))
    }

    @Test func everySettingChangesTheKey() throws {
        let base = StoreFixtures.spec()
        var variants: [ExtractorSpec] = []
        var v = base
        v.backbone = "resnet18"
        variants.append(v)
        v = base
        v.weightsSHA256 = String(repeating: "cd", count: 32)
        variants.append(v)
        v = base
        v.sampling = "uniform:8"
        variants.append(v)
        v = base
        v.geometry = "224x224"
        variants.append(v)
        v = base
        v.interpolation = "area"
        variants.append(v)
        v = base
        v.applyRotation = false
        variants.append(v)
        v = base
        v.normalization = "imagenet"
        variants.append(v)
        v = base
        v.pooling = .grid2
        variants.append(v)
        v = base
        v.precision = "int8:" + String(repeating: "ab", count: 32)
        variants.append(v)
        v.precision = "int8:" + String(repeating: "ef", count: 32)
        variants.append(v)
        v = base
        v.dtype = .f16
        variants.append(v)
        v = base
        v.codeVersion += 1
        variants.append(v)
        let keys = Set(variants.map(\.key) + [base.key])
        #expect(keys.count == variants.count + 1)
        #expect(StoreFixtures.spec().key == base.key)
        #expect(try ExtractorSpec.parse(base.canonicalJSON) == base)
    }
}
