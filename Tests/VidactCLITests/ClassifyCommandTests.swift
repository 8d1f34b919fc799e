// `vidact classify` end to end: a real cat photo (from the CNN fixture, written as PNG by the
// ffmpeg CLI) comes out as a cat; a file without video fails with its name and exit status 1.
import Foundation
import Testing

struct ClassifyCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Writes photo 0 of the CNN fixture (scikit-image's "chelsea", 224x224 RGB24) as a PNG.
    static func catPNG(in dir: URL) throws -> String {
        let fixture = root.appendingPathComponent(
            "Tests/ConvNetsTests/Fixtures/efficientnet_lite0_reference.safetensors")
        let data = try Data(contentsOf: fixture)
        let headerLength = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian })
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any]
        let offsets = try #require((header?["inputs"] as? [String: Any])?["data_offsets"] as? [Int])
        let start = 8 + headerLength + offsets[0]
        let raw = dir.appendingPathComponent("cat.rgb")
        try data.subdata(in: start..<(start + 224 * 224 * 3)).write(to: raw)
        let png = dir.appendingPathComponent("cat.png").path
        _ = try CLITests.run(
            "ffmpeg",
            ["-nostdin", "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "224x224", "-i", raw.path, png])
        return png
    }

    @Test func aCatIsACat() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vidact-classify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = try Self.catPNG(in: dir)
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
}
