// What a vidact process loads when it starts: not libavfilter, which `CAVFilter` opens with dlopen
// when motion estimation first needs it, since it and its ~60 dependencies slowed every start.
// (`FeaturesCommandTests.motionIsExtractedPlottedAndExported` runs motion estimation through the
// binary, so the late loading is exercised there.) And the hidden `cnn-bench`'s `--from-bytes`.
import Foundation
import TestSupport
import Testing

struct StartupTests {
    @Test func libavfilterIsNotLoadedAtStartUp() throws {
        let ldd = try runProcess("/usr/bin/ldd", [CLITests.binary])
        #expect(ldd.status == 0, "ldd: \(ldd.stderr)")
        #expect(ldd.stdout.contains("libavcodec"), "ldd lists the libraries the loader maps")
        #expect(!ldd.stdout.contains("libavfilter"), "\(ldd.stdout)")
    }

    /// A libavfilter that cannot be loaded (here a file that is not a library, found first through
    /// LD_LIBRARY_PATH) fails the videos that need motion estimation, with a reason that names it,
    /// while the process itself starts and extraction without motion works.
    @Test func anUnloadableLibavfilterIsReportedWhereMotionNeedsIt() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/lib", withIntermediateDirectories: true)
        try Data("not a library".utf8).write(to: URL(fileURLWithPath: dir + "/lib/libavfilter.so.8"))
        let video = dir + "/a.mp4"
        try FeaturesCommandTests.clip(video, seconds: 2)
        func extract(motion: Bool) throws -> ProcessResult {
            try runProcess(
                "/usr/bin/env",
                [
                    "LD_LIBRARY_PATH=\(dir)/lib", CLITests.binary, "features", "extract", video, "--workdir",
                    dir + "/w",
                    "--models", FeaturesCommandTests.models, "--uniform", "2",
                ] + (motion ? ["--motion"] : []))
        }
        let plain = try extract(motion: false)
        #expect(plain.status == 0, "\(plain.stderr)")
        let motion = try extract(motion: true)
        #expect(motion.status == 1, "the video fails, the run reports it: \(motion.stderr)")
        #expect(motion.stderr.contains("motion estimation needs libavfilter"), "\(motion.stderr)")
        #expect(motion.stderr.contains("libavfilter.so.8"), "the loader's reason names the file: \(motion.stderr)")
    }

    /// `cnn-bench --from-bytes` times the network from RGB24 pictures, as extraction feeds it, and
    /// says so in its JSON line; `--dump` (a normalised input) is refused with it.
    @Test func cnnBenchFromBytes() throws {
        let bench = try CLITests.run(
            CLITests.binary,
            [
                "cnn-bench", "--models", FeaturesCommandTests.models, "--precision", "int8", "--batch", "2",
                "--iterations", "1", "--from-bytes",
            ])
        #expect(bench.status == 0, "\(bench.stderr)")
        let line = try #require(bench.stdout.split(separator: "\n").last.map(String.init))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(bench.stdout)")
        #expect(json["input"] as? String == "rgb24" && json["precision"] as? String == "int8", "\(json)")
        #expect((json["images_per_second"] as? Double ?? 0) > 0)
        let refused = try CLITests.run(
            CLITests.binary, ["cnn-bench", "--models", FeaturesCommandTests.models, "--from-bytes", "--dump", "/tmp/x"])
        #expect(refused.status == 2 && refused.stderr.contains("--dump"), "\(refused.stderr)")
    }
}
