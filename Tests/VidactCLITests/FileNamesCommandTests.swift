// Folder walks beyond UTF-8 and beyond mp4, end to end through the binary: a clip whose name holds
// the bytes `ff fe` (made by the shell) and clips in the newly default containers (Theora .ogv,
// .wmv, .flv, .3gp, made by the ffmpeg CLI) are found by a folder-per-class walk, decoded and
// cached like any other; a manifest that lists the odd name in raw bytes reads it back; the
// catalog keeps the name (`catalog check` finds every cached file's video); `vidact probe` shows
// it with U+FFFD.
import Foundation
import TestSupport
import Testing

struct FileNamesCommandTests {
    static let oddName = "$(printf '\\377\\376')bars.mp4"

    @Test func oddNamesAndNewContainersAreWalkedDecodedAndCached() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clips: [(String, String)] = [
            ("bars/" + Self.oddName, "-c:v libx264"), ("pattern/theora.ogv", "-c:v libtheora"),
            ("pattern/old.wmv", "-c:v wmv2"), ("bars/flash.flv", "-c:v flv"), ("bars/phone.3gp", "-c:v libx264"),
        ]
        for (index, (name, codec)) in clips.enumerated() {
            let made = try runProcess(
                "bash",
                [
                    "-c",
                    "mkdir -p \"$1/videos/bars\" \"$1/videos/pattern\" && ffmpeg -nostdin -v error -y -f lavfi "
                        + "-i testsrc=size=96x72:rate=10:duration=1 -vf hue=h=\(index * 40) -pix_fmt yuv420p \(codec) "
                        + "\"$1/videos/\(name)\"",
                    "bash", dir,
                ])
            try #require(made.status == 0, "\(name): \(made.stderr)")
        }
        let pipeline = """
            version: 1
            workdir: work
            dataset: {layout: folder_per_class, root: videos}
            extract: {models: \(FeaturesCommandTests.models), sampling: {uniform: 2}, batch: 4}
            """
        try pipeline.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let run = try CLITests.vidact("run", dir + "/p.yaml", "--log-format", "json")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(RunCommandTests.done(RunCommandTests.summary(run), "extract") == 5, "\(run.stdout)")
        let features = try runProcess(
            "bash", ["-c", "find \"$1/work/features\" -name '*.safetensors' | wc -l", "bash", dir])
        #expect(features.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "5")
        let check = try CLITests.vidact("catalog", "check", "--workdir", dir + "/work")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        // A manifest naming the odd file in raw bytes, in another workdir: found and extracted.
        let manifest = try runProcess(
            "bash",
            [
                "-c",
                "printf 'video,label,split\\nvideos/bars/\\377\\376bars.mp4,bars,train\\nvideos/pattern/theora.ogv,"
                    + "pattern,train\\n' > \"$1/m.csv\"",
                "bash", dir,
            ])
        try #require(manifest.status == 0)
        try pipeline.replacingOccurrences(
            of: "{layout: folder_per_class, root: videos}", with: "{layout: manifest, manifest: m.csv}"
        )
        .replacingOccurrences(of: "workdir: work", with: "workdir: work-manifest")
        .write(toFile: dir + "/m.yaml", atomically: true, encoding: .utf8)
        let fromManifest = try CLITests.vidact("run", dir + "/m.yaml", "--log-format", "json")
        #expect(fromManifest.status == 0, "\(fromManifest.stdout)\(fromManifest.stderr)")
        #expect(RunCommandTests.done(RunCommandTests.summary(fromManifest), "extract") == 2, "\(fromManifest.stdout)")

        let probe = try CLITests.vidact("probe", dir + "/videos")
        #expect(probe.status == 0, "\(probe.stdout)\(probe.stderr)")
        #expect(probe.stdout.contains("\u{FFFD}\u{FFFD}bars.mp4"), "\(probe.stdout)")
        #expect(probe.stdout.contains("5 of 5 file(s) read"), "\(probe.stdout)")
    }
}
