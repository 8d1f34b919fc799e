// `vidact features` end to end with the real CNN: Python (PyPI safetensors + numpy, from the
// bootstrap venv) reads a feature file and sees the same shapes, dtypes, values and metadata;
// a folder mixing good clips and the decode stage's bad inputs finishes and reports each bad one;
// ls / inspect / export / gc work on the result.
import FeatureStore
import Foundation
import TestSupport
import Testing

struct FeaturesCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var models: String { root.appendingPathComponent("models").path }

    static func temporaryDirectory() throws -> String { try TemporaryDirectory.make("features") }

    /// A 3-second 10 fps clip of an ffmpeg test pattern.
    static func clip(_ path: String, source: String = "testsrc", seconds: Int = 3) throws {
        let result = try runProcess(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                "\(source)=size=160x120:rate=10:duration=\(seconds)",
                "-pix_fmt", "yuv420p", "-c:v", "libx264", path,
            ])
        #expect(result.status == 0, "ffmpeg: \(result.stderr)")
    }

    static func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test func pythonReadsFeatureFilesAsVidactWroteThem() throws {
        let python = Self.root.appendingPathComponent(".venv/bin/python").path
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            "\(python) is missing: run scripts/bootstrap (it makes the test venv with safetensors and numpy)")
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.clip(dir + "/a.mp4")
        let result = try CLITests.run(
            CLITests.binary,
            ["features", "extract", dir + "/a.mp4", "--workdir", dir + "/w", "--models", Self.models, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let path = try #require(Self.jsonLines(result.stdout).first?["feature_file"] as? String)
        let script = """
            import json, sys
            from safetensors import safe_open
            from safetensors.numpy import load_file
            t = load_file(sys.argv[1])
            with safe_open(sys.argv[1], "np") as f:
                meta = f.metadata()
            x = t["features"]
            print(json.dumps({
                "dtypes": {k: str(v.dtype) for k, v in t.items()},
                "shapes": {k: list(v.shape) for k, v in t.items()},
                "features": [float(v) for v in x.reshape(-1)],
                "timestamps": [float(v) for v in t["timestamps"]],
                "frame_indices": [int(v) for v in t["frame_indices"]],
                "metadata": meta}))
            """
        let read = try runProcess(python, ["-c", script, path])
        #expect(read.status == 0, "\(read.stderr)")
        let object = try #require(Self.jsonLines(read.stdout).first)
        let volume = try FeatureFile.read(path)
        #expect(
            object["dtypes"] as? [String: String] == [
                "features": "float16", "timestamps": "float64", "frame_indices": "int64",
            ])
        #expect(
            object["shapes"] as? [String: [Int]] == [
                "features": [3, 1280], "timestamps": [3], "frame_indices": [3],
            ])
        let values = (object["features"] as? [Double])?.map(Float.init) ?? []
        let same = values == volume.features.storage
        #expect(same, "Python and vidact read different feature values")
        #expect(object["timestamps"] as? [Double] == [0, 1, 2])
        #expect(object["frame_indices"] as? [Int] == [0, 10, 20])
        let meta = try #require(object["metadata"] as? [String: String])
        #expect(meta["format"] == "vidact-features" && meta["version"] == "1")
        #expect(meta["video_sha256"] == (try ContentHash.sha256(path: dir + "/a.mp4")))
        #expect(meta["extractor_key"] == volume.info.spec.key)
        #expect(meta["decoded_frames"] == "30" && meta["header_frames"] == "30")
        let spec = try ExtractorSpec.parse(try #require(meta["extractor_spec"]))
        #expect(spec.backbone == "efficientnet-lite0" && spec.sampling == "fps:1.0" && spec.dtype == .f16)
    }

    @Test func aFolderOfGoodAndBadVideosFinishesAndReportsEachBadOne() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let folder = dir + "/videos"
        try FileManager.default.createDirectory(atPath: folder + "/dir.mp4", withIntermediateDirectories: true)
        try Self.clip(folder + "/good1.mp4")
        try Self.clip(folder + "/good2.mp4", source: "smptebars")
        for bad in ["empty.mp4", "random.mp4", "truncated_nomoov.mp4"] {
            try FileManager.default.copyItem(atPath: CLITests.fixture(bad), toPath: "\(folder)/\(bad)")
        }
        #expect(mkfifo(folder + "/fifo.mp4", 0o644) == 0)
        try FileManager.default.createSymbolicLink(
            atPath: folder + "/loop.mp4", withDestinationPath: folder + "/loop.mp4")
        let result = try CLITests.run(
            CLITests.binary,
            [
                "features", "extract", folder, "--workdir", dir + "/w", "--models", Self.models, "--json", "--uniform",
                "2",
            ])
        #expect(result.status == 1, "some failed: exit 1; \(result.stderr)")
        let lines = Self.jsonLines(result.stdout)
        var status: [String: String] = [:]
        var reasons: [String: String] = [:]
        for line in lines {
            guard let path = line["path"] as? String else { continue }
            let name = (path as NSString).lastPathComponent
            status[name] = line["status"] as? String
            reasons[name] = line["reason"] as? String
        }
        #expect(status["good1.mp4"] == "done" && status["good2.mp4"] == "done", "\(status)")
        let expected = [
            "empty.mp4": "notAVideo", "random.mp4": "notAVideo", "truncated_nomoov.mp4": "notAVideo",
            "fifo.mp4": "notARegularFile", "loop.mp4": "notARegularFile", "dir.mp4": "notARegularFile",
        ]
        for (name, kind) in expected {
            #expect(status[name] == "failed", "\(name): \(status[name] ?? "missing")")
            #expect(reasons[name]?.hasPrefix(kind) == true, "\(name): \(reasons[name] ?? "no reason")")
        }
        let totals = try #require(lines.last)
        #expect(totals["done"] as? Int == 2 && totals["failed"] as? Int == 6 && totals["skipped"] as? Int == 0)
        // The human summary on a second run: both good clips skipped, the bad ones failed again.
        let again = try CLITests.run(
            CLITests.binary,
            ["features", "extract", folder, "--workdir", dir + "/w", "--models", Self.models, "--uniform", "2"])
        #expect(again.status == 1)
        #expect(again.stdout.contains(": 0 done, 2 skipped, 6 failed"), "\(again.stdout)")
        #expect(again.stdout.contains("failed: \(folder)/fifo.mp4: notARegularFile"), "\(again.stdout)")
    }

    @Test func listInspectExportAndGC() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let video = dir + "/a.mp4"
        try Self.clip(video, seconds: 4)
        let work = dir + "/w"
        let extract = try CLITests.run(
            CLITests.binary,
            ["features", "extract", video, "--workdir", work, "--models", Self.models, "--dtype", "f32"])
        #expect(extract.status == 0, "\(extract.stderr)")
        let ls = try CLITests.run(CLITests.binary, ["features", "ls", "--workdir", work, "--json"])
        let rows = Self.jsonLines(ls.stdout)
        #expect(rows.count == 1)
        #expect(rows.first?["video"] as? String == video && rows.first?["frames"] as? Int == 4)
        #expect(rows.first?["width"] as? Int == 1280 && rows.first?["dtype"] as? String == "f32")
        let inspect = try CLITests.run(
            CLITests.binary, ["features", "inspect", video, "--workdir", work, "--plot", dir + "/plot.svg"])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("shape:     [4, 1280] f32"), "\(inspect.stdout)")
        #expect(inspect.stdout.contains("non-finite: none"))
        #expect(inspect.stdout.contains("spacing min 1.000 median 1.000 max 1.000 s"))
        let svg = try String(contentsOfFile: dir + "/plot.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("data:image/png;base64,") && svg.contains("<polyline"))
        let export = try CLITests.run(
            CLITests.binary, ["features", "export", video, "--workdir", work, "--npy", dir + "/npy"])
        #expect(export.status == 0, "\(export.stderr)")
        let check = try runProcess(
            "python3", ["-c", "import numpy as np; a = np.load('\(dir)/npy/features.npy'); print(a.shape, a.dtype)"])
        #expect(check.stdout == "(4, 1280) float32\n", "\(check.stdout) \(check.stderr)")
        // The video goes: gc lists its volume, deletes nothing without --apply, then deletes it.
        try FileManager.default.removeItem(atPath: video)
        let dry = try CLITests.run(CLITests.binary, ["features", "gc", "--workdir", work])
        #expect(dry.stdout.contains("would delete") && dry.stdout.contains("[video_gone]"), "\(dry.stdout)")
        #expect(
            Self.jsonLines(try CLITests.run(CLITests.binary, ["features", "ls", "--workdir", work, "--json"]).stdout)
                .count == 1)
        let apply = try CLITests.run(CLITests.binary, ["features", "gc", "--workdir", work, "--apply"])
        #expect(apply.stdout.contains("deleted"), "\(apply.stdout)")
        #expect(
            Self.jsonLines(try CLITests.run(CLITests.binary, ["features", "ls", "--workdir", work, "--json"]).stdout)
                .isEmpty)
        // A video not cached: a clear error naming the command that extracts it.
        try Self.clip(video, source: "smptebars")
        let missing = try CLITests.run(CLITests.binary, ["features", "inspect", video, "--workdir", work])
        #expect(missing.status == 1 && missing.stderr.contains("vidact features extract"), "\(missing.stderr)")
    }

    /// `--motion`: the volume gets a motion tensor (a new extractor key), `inspect --plot` draws the
    /// global-motion panel (SVG and PNG), and `export` writes motion.npy that numpy reads.
    @Test func motionIsExtractedPlottedAndExported() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let video = dir + "/a.mp4"
        try Self.clip(video, seconds: 3)
        let work = dir + "/w"
        for motion in [false, true] {
            let extract = try CLITests.run(
                CLITests.binary,
                ["features", "extract", video, "--workdir", work, "--models", Self.models, "--uniform", "3"]
                    + (motion ? ["--motion"] : []))
            #expect(extract.status == 0, "\(extract.stderr)")
        }
        let keys = Self.jsonLines(
            try CLITests.run(CLITests.binary, ["features", "ls", "--workdir", work, "--json"]).stdout)
        #expect(keys.count == 2, "motion on and off are two extractor keys")
        let motionSpec = "motion mestimate-epzs8-median5-v3"  // MotionDescriptor.version
        let motionKey = try #require(
            keys.first { ($0["spec"] as? String)?.contains(motionSpec) == true }?["extractor_key"] as? String,
            "\(keys)")
        for plot in ["plot.svg", "plot.png"] {
            let inspect = try CLITests.run(
                CLITests.binary,
                ["features", "inspect", video, "--workdir", work, "--key", motionKey, "--plot", dir + "/" + plot])
            #expect(inspect.status == 0, "\(inspect.stderr)")
        }
        let svg = try String(contentsOfFile: dir + "/plot.svg", encoding: .utf8)
        #expect(
            svg.contains("global motion") && svg.components(separatedBy: "<polyline").count == 6, "\(svg.suffix(600))")
        let export = try CLITests.run(
            CLITests.binary,
            ["features", "export", video, "--workdir", work, "--key", motionKey, "--npy", dir + "/npy"])
        #expect(export.status == 0 && export.stdout.contains("motion.npy [3, 43]"), "\(export.stdout) \(export.stderr)")
        let check = try runProcess(
            "python3",
            [
                "-c",
                "import numpy as np, json; a = np.load('\(dir)/npy/motion.npy'); "
                    + "m = json.load(open('\(dir)/npy/metadata.json')); print(a.shape, a.dtype, len(m['motion_names']))",
            ])
        #expect(check.stdout == "(3, 43) float32 43\n", "\(check.stdout) \(check.stderr)")
    }

    /// Keyframe snapping says what it could not do: `features extract` notes a file whose keyframes
    /// are sparser than the samples (long_gop.mp4: 6 keyframes for 16 samples), and `frames` says
    /// when a stream has no packet timestamps to find keyframes by (a raw H.264 stream).
    @Test func keyframeSnappingNotesSparseKeyframesAndStreamsItCannotSnap() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let extract = try CLITests.run(
            CLITests.binary,
            [
                "features", "extract", CLITests.fixture("long_gop.mp4"), "--workdir", dir + "/w", "--models",
                Self.models, "--uniform", "16", "--snap", "keyframe",
            ])
        #expect(extract.status == 0, "\(extract.stderr)")
        #expect(extract.stdout.contains("1 with a note") && extract.stdout.contains("sparser than the samples"))
        #expect(extract.stderr.contains("note: ") && extract.stderr.contains("repeat keyframes"), "\(extract.stderr)")
        let raw = dir + "/raw.h264"
        let made = try runProcess(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25:duration=2", "-c:v",
                "libx264", "-g", "10", "-f", "h264", raw,
            ])
        #expect(made.status == 0, "\(made.stderr)")
        let frames = try CLITests.run(
            CLITests.binary, ["frames", raw, "--out", dir + "/frames", "--uniform", "4", "--snap", "keyframe"])
        #expect(frames.status == 0 && frames.stderr.contains("sampled exactly, not snapped"), "\(frames.stderr)")
        let refused = try CLITests.run(
            CLITests.binary, ["frames", raw, "--out", dir + "/frames2", "--stride", "2", "--snap", "keyframe"])
        #expect(refused.status == 2 && refused.stderr.contains("needs sampling by time"), "\(refused.stderr)")
    }

    /// `--precision int8` stores its volume under its own key (the calibration's checksum in the
    /// spec), close to the f32 one; a damaged calibration file is refused by name before any work.
    @Test func int8FeaturesHaveTheirOwnKeyAndStayCloseToF32() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let video = dir + "/a.mp4"
        try Self.clip(video, source: "testsrc2", seconds: 2)
        let work = dir + "/w"
        var files: [String: String] = [:]
        for precision in ["f32", "int8"] {
            let extract = try CLITests.run(
                CLITests.binary,
                [
                    "features", "extract", video, "--workdir", work, "--models", Self.models, "--uniform", "4",
                    "--precision", precision, "--json",
                ])
            #expect(extract.status == 0, "\(extract.stderr)")
            files[precision] = try #require(Self.jsonLines(extract.stdout).first?["feature_file"] as? String)
        }
        let f32 = try #require(files["f32"])
        let int8 = try #require(files["int8"])
        #expect(f32 != int8)
        let spec = try FeatureFile.read(int8).info.spec
        #expect(spec.precision?.hasPrefix("int8:") == true, "\(spec)")
        let a = try FeatureFile.read(f32).features
        let b = try FeatureFile.read(int8).features
        let width = a.shape[1]
        for row in 0..<a.shape[0] {
            let x = a.storage[(row * width)..<((row + 1) * width)]
            let y = b.storage[(row * width)..<((row + 1) * width)]
            let dot = zip(x, y).map { $0 * $1 }.reduce(0, +)
            let cosine =
                dot / (x.map { $0 * $0 }.reduce(0, +).squareRoot() * y.map { $0 * $0 }.reduce(0, +).squareRoot())
            // testsrc2's saturated synthetic colours are far from the real pictures of the shipped
            // calibration: measured 0.89–0.92 on AVX2, above 0.95 with VNNI (real clips: 0.98).
            #expect(cosine > 0.85, "frame \(row): cosine \(cosine)")
        }
        let damaged = dir + "/damaged.int8.json"
        try String(contentsOfFile: Self.models + "/efficientnet_lite0.int8.json", encoding: .utf8)
            .replacingOccurrences(of: "\"pictures\":256", with: "\"pictures\":9").write(
                toFile: damaged, atomically: true, encoding: .utf8)
        let refused = try CLITests.run(
            CLITests.binary,
            [
                "features", "extract", video, "--workdir", work, "--models", Self.models, "--precision", "int8",
                "--calibration", damaged,
            ])
        #expect(refused.status != 0 && refused.stderr.contains(damaged) && refused.stderr.contains("checksum"))
    }

}
