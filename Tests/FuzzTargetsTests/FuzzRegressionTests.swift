// Every committed fuzz input — the seed corpora and every input that once crashed — runs through
// its target in the normal build and returns (a crash fails the whole test run). Also checks that
// each target has a seed corpus and that the targets reach the code they are meant to: the seeds
// of `safetensors` include a feature file that validates, and those of `decode` clips that decode.
import FeatureStore
import Foundation
import Testing

@testable import FuzzTargets

struct FuzzRegressionTests {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz").path

    static func inputs(_ target: String) -> [String] {
        ["corpus", "regressions"].flatMap { kind -> [String] in
            let folder = "\(fuzz)/\(kind)/\(target)"
            return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted().map {
                folder + "/" + $0
            }
        }
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func everyCommittedInputRunsThroughItsTarget(name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let files = Self.inputs(name).filter { !$0.hasSuffix("/.keep") }
        #expect(files.count >= 2, "\(name): no seed corpus in Fuzz/corpus/\(name)")
        for file in files {
            let data = try #require(FileManager.default.contents(atPath: file))
            target.run(Array(data))
        }
    }

    @Test func seedsReachTheCodeUnderTest() throws {
        let feature = Self.fuzz + "/corpus/safetensors/vidact-feature-file.safetensors"
        #expect(throws: Never.self) { _ = try FeatureFile.validate(feature) }
        let clip = try #require(FileManager.default.contents(atPath: Self.fuzz + "/corpus/decode/tiny.mp4"))
        #expect(FuzzDecodeTarget.framesDecoded(Array(clip)) == 4)
    }
}
