// `vidact classify` end to end: a real cat photo (scikit-image's chelsea.png, decoded, scaled and
// cropped by vidact itself) comes out as a cat; a file without video fails with its name and exit status 1.
import Foundation
import Testing

struct ClassifyCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// scikit-image's "chelsea" (a tabby cat, 451x300 PNG), fetched by scripts/fetch-test-photos.
    static func catPNG() throws -> String {
        let path = root.appendingPathComponent("models/test-photos/chelsea.png").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw MissingTestFile(path: path)
        }
        return path
    }

    @Test func aCatIsACat() throws {
        let png = try Self.catPNG()
        let models = Self.root.appendingPathComponent("models").path
        let result = try CLITests.run(CLITests.binary, ["classify", png, "--models", models, "--top", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4, "\(result.stdout)")
        // The first ranked line: "  40.05%   285  Egyptian cat"; 281 tabby, 282 tiger cat, 285 Egyptian cat.
        let fields = lines.count > 1 ? lines[1].split(separator: " ") : []
        let index = fields.count > 1 ? Int(fields[1]) : nil
        #expect([281, 282, 285].contains(index ?? -1), "\(result.stdout)")
    }

    @Test func jsonPerFrameForAVideo() throws {
        let models = Self.root.appendingPathComponent("models").path
        let clip = CLITests.fixture("h264.mp4")
        let result = try CLITests.run(
            CLITests.binary,
            ["classify", clip, "--models", models, "--json", "--per-frame", "--uniform", "3", "--top", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["ok"] as? Bool == true)
        #expect(object?["frames"] as? Int == 3)
        #expect((object?["top"] as? [[String: Any]])?.count == 2)
        let frames = object?["per_frame"] as? [[String: Any]] ?? []
        #expect(frames.compactMap { $0["frame_index"] as? Int } == [0, 24, 49])
    }

    @Test func jsonReportsAFailedFileAsALine() throws {
        let models = Self.root.appendingPathComponent("models").path
        let audio = CLITests.fixture("audio_only.m4a")
        let result = try CLITests.run(CLITests.binary, ["classify", audio, "--models", models, "--json"])
        #expect(result.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["ok"] as? Bool == false)
        #expect((object?["error"] as? [String: Any])?["kind"] as? String == "noVideoStream")
    }

    @Test func geometryMustGiveTheCNNsInputSize() throws {
        let models = Self.root.appendingPathComponent("models").path
        let result = try CLITests.run(
            CLITests.binary, ["classify", CLITests.fixture("h264.mp4"), "--models", models, "--size", "100x100"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("224x224"))
    }

    @Test func aFileWithoutVideoFails() throws {
        let models = Self.root.appendingPathComponent("models").path
        let audio = CLITests.fixture("audio_only.m4a")
        let result = try CLITests.run(CLITests.binary, ["classify", audio, "--models", models])
        #expect(result.status == 1)
        #expect(result.stderr.contains("audio_only.m4a"))
    }

    @Test func resNetNeedsItsWeightsFile() throws {
        let png = try Self.catPNG()
        let missing = try CLITests.run(CLITests.binary, ["classify", png, "--backbone", "resnet50"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--weights"), "\(missing.stderr)")
        let absent = try CLITests.run(
            CLITests.binary, ["classify", png, "--backbone", "resnet18", "--weights", "/nonexistent/r18.safetensors"])
        #expect(absent.status == 1)
        #expect(absent.stderr.contains("/nonexistent/r18.safetensors"), "\(absent.stderr)")
    }

    @Test func aFileOfAnotherNetworkIsRefusedNamingFileAndTensor() throws {
        let models = Self.root.appendingPathComponent("models").path
        let lite = "\(models)/efficientnet_lite0.safetensors"
        let result = try CLITests.run(
            CLITests.binary,
            ["classify", try Self.catPNG(), "--models", models, "--backbone", "resnet18", "--weights", lite])
        #expect(result.status == 1)
        #expect(result.stderr.contains(lite) && result.stderr.contains("bn1.weight"), "\(result.stderr)")
    }

    /// The seeded random ResNet-18 of scripts/make-seeded-resnet: its classes mean nothing, but its
    /// top-1 for the cat photo is PyTorch's (540, Tests/ConvNetsTests/Fixtures/resnet_seeded_reference.json,
    /// well ahead of the second class), through vidact's own decoding, scaling and normalisation.
    @Test func resNet18RanksLikePyTorch() throws {
        let models = Self.root.appendingPathComponent("models").path
        let weights = "\(models)/test/resnet18_seeded.safetensors"
        guard FileManager.default.fileExists(atPath: weights) else { throw MissingTestFile(path: weights) }
        let result = try CLITests.run(
            CLITests.binary,
            [
                "classify", try Self.catPNG(), "--models", models, "--backbone", "resnet18", "--weights", weights,
                "--json",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let top = (object?["top"] as? [[String: Any]])?.first?["index"] as? Int
        #expect(top == 540, "\(result.stdout)")
    }
}

/// A file that scripts/bootstrap makes and the run could not find; the test fails saying so.
struct MissingTestFile: Error, CustomStringConvertible {
    var path: String
    var description: String { "\(path) is missing: run scripts/bootstrap" }
}
