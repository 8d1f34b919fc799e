// The `vidact` executable end to end: exit statuses, probe's table and JSON lines, and `frames`
// writing images that decode back to exactly the pixels the ffmpeg CLI produces.
import Foundation
import TestSupport
import Testing

struct CLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("VideoDecodingTests/Fixtures")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// The vidact binary built beside this test bundle.
    static var binary: String {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [
            dir, dir.deletingLastPathComponent(), dir.deletingLastPathComponent().deletingLastPathComponent(),
        ] {
            let path = candidate.appendingPathComponent("vidact").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/vidact").path
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> ProcessResult {
        try runProcess(tool, arguments)
    }

    static func vidact(_ arguments: String...) throws -> ProcessResult { try run(binary, arguments) }

    func temporaryDirectory() throws -> URL { URL(fileURLWithPath: try TemporaryDirectory.make("cli")) }

    /// `vidact decode` reports how a sparse sample was decoded: long_gop.mp4 has six closed GOPs,
    /// so with two decoder threads the six samples at 0.5 fps come from segments side by side, and
    /// with one thread from the sequential decoder; the frames are the same (checksum).
    @Test func decodeReportsSegmentDecoding() throws {
        func decode(threads: String) throws -> [String: Any] {
            let result = try Self.vidact(
                "decode", Self.fixture("long_gop.mp4"), "--fps", "0.5", "--size", "32x24", "--threads", threads)
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        }
        let split = try decode(threads: "2")
        let whole = try decode(threads: "1")
        #expect(split["frames"] as? Int == 6 && whole["frames"] as? Int == 6, "\(split) \(whole)")
        #expect((split["segment_jobs"] as? Int ?? 0) > 1 && split["segment_fallbacks"] as? Int == 0, "\(split)")
        #expect(whole["segment_jobs"] as? Int == 0, "\(whole)")
        #expect(split["checksum"] as? Int == whole["checksum"] as? Int)
        // The in-process times scripts/bench/decode compares with PyAV and decord: some CPU was
        // spent, and it may exceed the wall time only by the threads at work (at most two decoders
        // and a converter here), plus the timer granularity.
        for report in [split, whole] {
            let seconds = try #require(report["seconds"] as? Double)
            let cpu = try #require(report["cpu_seconds"] as? Double)
            #expect(seconds > 0 && cpu > 0 && cpu < 3 * seconds + 0.05, "\(report)")
        }
    }

    @Test func probeJSONLinesAndExitStatus() throws {
        let good = Self.fixture("h264.mp4")
        let bad = Self.fixture("random.mp4")
        let result = try Self.vidact("probe", "--json", "--count-frames", good, bad, "/nonexistent.mp4")
        #expect(result.status == 1, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(lines.count == 3)
        let first = try #require(lines[0])
        #expect(first["path"] as? String == good)
        #expect(first["ok"] as? Bool == true)
        #expect(first["codec"] as? String == "h264")
        for key in [
            "container", "pixel_format", "width", "height", "duration", "start_time", "avg_fps", "frames_header",
            "rotation", "vfr", "frames_decoded", "corrupt_packets", "corrupt_frames", "read_errors",
        ] {
            #expect(first[key] != nil, "missing \(key)")
        }
        let second = try #require(lines[1])
        #expect(second["ok"] as? Bool == false)
        let error = try #require(second["error"] as? [String: Any])
        #expect(error["kind"] as? String == "notAVideo")
        #expect((error["message"] as? String)?.contains(bad) == true)
        let third = try #require(lines[2])
        #expect((third["error"] as? [String: Any])?["kind"] as? String == "fileNotFound")
    }

    /// `probe --json`'s keyframe figures: long_gop.mp4 has a keyframe every 2 s (ffprobe's packet
    /// key flags at 0, 2, 4, 6, 8, 10 s; the API is checked against ffprobe in KeyframeSnapTests).
    @Test func probeJSONReportsKeyframes() throws {
        let result = try Self.vidact("probe", "--json", Self.fixture("long_gop.mp4"))
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(line["keyframes"] as? Int == 6)
        let mean = try #require(line["keyframe_interval_mean"] as? Double)
        let largest = try #require(line["keyframe_interval_max"] as? Double)
        #expect(abs(mean - 2) < 1e-6 && abs(largest - 2) < 1e-6, "\(line)")
    }

    @Test func probeWalksDirectoriesAndKeepsGoing() throws {
        let result = try Self.vidact("probe", "--json", Self.fixtures.path)
        #expect(result.status == 1)
        let records = result.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let paths = records.compactMap { $0["path"] as? String }
        #expect(paths == paths.sorted())
        #expect(paths.contains(Self.fixture("long_gop.mp4")))
        #expect(paths.contains(Self.fixture("empty.mp4")))
        // Good files after bad ones are still probed.
        #expect(records.filter { $0["ok"] as? Bool == true }.count >= 10)
    }

    @Test func probeTableAndSuccessStatus() throws {
        let result = try Self.vidact("probe", Self.fixture("h264.mp4"), Self.fixture("rotate90.mp4"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("CODEC"))
        #expect(result.stdout.contains("2 of 2 file(s) read"))
    }

    @Test func usageErrorsExitWithTwo() throws {
        #expect(try Self.vidact("probe").status == 2)
        #expect(
            try Self.vidact("frames", Self.fixture("h264.mp4"), "--out", "/tmp/x", "--fps", "2", "--stride", "3").status
                == 2)
        #expect(try Self.vidact("frames", Self.fixture("h264.mp4"), "--out", "/tmp/x", "--size", "12by4").status == 2)
        #expect(try Self.vidact("no-such-command").status == 2)
    }

    @Test func framesWritesLosslessPNGsAndCSV() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = Self.fixture("h264.mp4")
        let result = try Self.vidact("frames", clip, "--out", dir.path, "--stride", "5", "--size", "64x48")
        #expect(result.status == 0, "\(result.stderr)")
        let csv = try String(contentsOf: dir.appendingPathComponent("frames.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n")
        #expect(rows.first == "index,frame_index,timestamp,time")
        let reference = try Self.run(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-i", clip, "-vf", "scale=64:48:flags=bilinear", "-pix_fmt", "rgb24", "-f",
                "rawvideo", "-",
            ]
        ).stdoutData
        let frameBytes = 64 * 48 * 3
        let total = reference.count / frameBytes
        #expect(rows.count - 1 == (total + 4) / 5)
        for (i, row) in rows.dropFirst().enumerated() {
            let fields = row.split(separator: ",")
            let index = try #require(Int(fields[1]))
            #expect(index == i * 5)
            let png = dir.appendingPathComponent(String(format: "frame_%06d.png", i)).path
            let decoded = try Self.run(
                "ffmpeg", ["-nostdin", "-v", "error", "-i", png, "-pix_fmt", "rgb24", "-f", "rawvideo", "-"])
            let expected = reference.subdata(in: (index * frameBytes)..<((index + 1) * frameBytes))
            let same = decoded.stdoutData == expected
            #expect(same, "frame \(i) (index \(index)) differs from the ffmpeg CLI")
        }
    }

    @Test func framesWritesJPEGs() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Self.vidact(
            "frames", Self.fixture("rotate90.mp4"), "--out", dir.path, "--uniform", "3", "--format", "jpg")
        #expect(result.status == 0, "\(result.stderr)")
        for i in 0..<3 {
            let path = dir.appendingPathComponent(String(format: "frame_%06d.jpg", i)).path
            let size = try Self.run(
                "ffprobe", ["-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", path]
            ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let probe = try Self.run(
                "ffprobe",
                [
                    "-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0",
                    Self.fixture("rotate90.mp4"),
                ]
            ).stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",")
            // The rotated clip's frames are written in display orientation: width and height swap.
            #expect(size == "\(probe[1]),\(probe[0])")
        }
    }

    @Test func framesReportsBadInputAndFails() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Self.vidact("frames", Self.fixture("audio_only.m4a"), "--out", dir.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("audio_only.m4a"))
        #expect(result.stderr.contains("no video stream"))
    }
}
