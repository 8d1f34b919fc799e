// The manifest CSV: header in any order, paths resolved against the CSV's folder, quoted fields,
// blank lines, class order by sorted name, and each kind of error with its file and line.
import FeatureStore
import Foundation
import Testing

@testable import Datasets

struct ManifestTests {
    static func parse(_ text: String) throws(DatasetError) -> Manifest {
        try Manifest.parse(text, file: "m.csv", folder: "/data/set")
    }

    @Test func parsesRowsResolvesPathsAndSortsLabels() throws {
        let manifest = try Self.parse(
            "split,video,label\r\ntrain,a/x.mp4,walk\n\nval,\"b/y, z.mp4\",Run\ntest,/abs/../v.mp4,jump\n")
        #expect(manifest.entries.map(\.path) == ["/data/set/a/x.mp4", "/data/set/b/y, z.mp4", "/v.mp4"])
        #expect(manifest.entries.map(\.video) == ["a/x.mp4", "b/y, z.mp4", "/abs/../v.mp4"])
        #expect(manifest.entries.map(\.split) == [.train, .val, .test])
        #expect(manifest.entries.map(\.line) == [2, 4, 5])
        #expect(manifest.labelNames == ["Run", "jump", "walk"])
        #expect(manifest.entries(.val).map(\.label) == ["Run"])
    }

    @Test(arguments: [
        ("video,label\na,b\n", "m.csv:1: header \"video,label\": missing split"),
        ("video,label,split,fold\n", "m.csv:1: header \"video,label,split,fold\": unknown column fold"),
        ("video,label,split\na.mp4,x,train\nb.mp4,y\n", "m.csv:3: 2 fields, expected 3"),
        ("video,label,split\na.mp4,x,dev\n", "m.csv:2: split \"dev\" is not one of train, val, test"),
        ("video,label,split\na.mp4,x,train\n./a.mp4,y,test\n", "m.csv:3: video ./a.mp4 is already listed on line 2"),
        (
            "video,label,split\n\"a.mp4,x,train\n",
            "m.csv:2: a quoted field has no closing quote (quoted fields cannot span lines)"
        ),
        ("video,label,split\n,x,train\n", "m.csv:2: empty video path"),
        ("video,label,split\n\n", "m.csv: no videos listed"),
        ("", "m.csv:1: empty file; expected the header video,label,split"),
    ])
    func errorsNameFileAndLine(text: String, message: String) {
        #expect(throws: DatasetError.self) { try Self.parse(text) }
        do {
            _ = try Self.parse(text)
        } catch {
            #expect("\(error)".hasPrefix(message), "\(error)")
        }
    }

    @Test func extractFlagsReproduceTheSpec() {
        let spec = ExtractorSpecFixture.make(sampling: "uniform:8", geometry: "224x224", rotation: false)
        #expect(spec.extractFlags == ["--uniform", "8", "--size", "224x224", "--ignore-rotation", "--norm", "lite"])
        let other = ExtractorSpecFixture.make(sampling: "all", geometry: "short_side:256", rotation: true)
        #expect(other.extractFlags == ["--all", "--short-side", "256", "--norm", "lite"])
    }
}

enum ExtractorSpecFixture {
    static func make(sampling: String, geometry: String, rotation: Bool) -> ExtractorSpec {
        ExtractorSpec(
            backbone: "efficientnet-lite0", weightsSHA256: "00", sampling: sampling, geometry: geometry,
            interpolation: "bilinear", applyRotation: rotation, normalization: "lite", pooling: .avg, dtype: .f16)
    }
}
