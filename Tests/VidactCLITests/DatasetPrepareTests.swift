// The real-dataset preparation scripts on small fake trees (the real datasets are never
// downloaded here): datasets/ucf101/prepare links a UCF101-style download and the ucf101 layout
// plans it; datasets/hmdb51/prepare writes the manifest; both list every problem and exit 1 on a
// broken download. The committed pipeline files parse.
import Foundation
import TestSupport
import Testing

struct DatasetPrepareTests {
    static let root = FeaturesCommandTests.root.path

    func touch(_ path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
    }

    @Test func ucf101PrepareChecksAndLinksAndTheLayoutPlansIt() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["Jump/v_Jump_g01_c01.avi", "Jump/v_Jump_g02_c01.avi", "Archery/v_Archery_g01_c01.avi"] {
            try touch("\(dir)/UCF-101/\(name)")
        }
        let splits = "\(dir)/ucfTrainTestlist"
        try FileManager.default.createDirectory(atPath: splits, withIntermediateDirectories: true)
        try "1 Archery\n2 Jump\n".write(toFile: splits + "/classInd.txt", atomically: true, encoding: .utf8)
        for split in 1...3 {
            try "Jump/v_Jump_g01_c01.avi 2\nArchery/v_Archery_g01_c01.avi 1\n".write(
                toFile: "\(splits)/trainlist0\(split).txt", atomically: true, encoding: .utf8)
            try "Jump/v_Jump_g02_c01.avi\n".write(
                toFile: "\(splits)/testlist0\(split).txt", atomically: true, encoding: .utf8)
        }
        let script = Self.root + "/datasets/ucf101/prepare"
        let ok = try runProcess(
            script, ["\(dir)/UCF-101", splits, "--out", "\(dir)/data", "--expect-videos", "3"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("2 classes, 3 listed videos"), "\(ok.stdout)")
        let pipeline = """
            version: 1
            workdir: work
            dataset: {layout: ucf101, root: data/videos, splits_folder: data/splits, val_fraction: 0}
            extract: {models: \(FeaturesCommandTests.models)}
            """
        try pipeline.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let plan = try CLITests.run(CLITests.binary, ["plan", dir + "/p.yaml"])
        #expect(plan.stdout.contains("extract: 3 to do, 0 done"), "\(plan.stdout) \(plan.stderr)")
        // A broken download: a listed video missing and a wrong count, each reported.
        try FileManager.default.removeItem(atPath: "\(dir)/UCF-101/Jump/v_Jump_g02_c01.avi")
        let broken = try runProcess(script, ["\(dir)/UCF-101", splits, "--out", "\(dir)/data2"])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("testlist01.txt:1: \(dir)/UCF-101/Jump/v_Jump_g02_c01.avi does not exist"))
        #expect(broken.stderr.contains("2 files, expected 13320"), "\(broken.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/data2"))
    }

    @Test func hmdb51PrepareWritesTheManifest() throws {
        let dir = try FeaturesCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["run/a.avi", "run/b.avi", "wave/c.avi", "wave/d.avi"] { try touch("\(dir)/hmdb/\(name)") }
        let splits = "\(dir)/splits"
        try FileManager.default.createDirectory(atPath: splits, withIntermediateDirectories: true)
        try "a.avi 1\nb.avi 2\n".write(toFile: splits + "/run_test_split1.txt", atomically: true, encoding: .utf8)
        try "c.avi 1\nd.avi 0\n".write(toFile: splits + "/wave_test_split1.txt", atomically: true, encoding: .utf8)
        let script = Self.root + "/datasets/hmdb51/prepare"
        let ok = try runProcess(script, ["\(dir)/hmdb", splits, "--out", "\(dir)/data", "--expect-videos", "4"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let manifest = try String(contentsOfFile: "\(dir)/data/manifest.csv", encoding: .utf8)
        #expect(
            manifest
                == "video,label,split\n\(dir)/hmdb/run/a.avi,run,train\n\(dir)/hmdb/run/b.avi,run,test\n"
                + "\(dir)/hmdb/wave/c.avi,wave,train\n")
        try "c.avi 3\n".write(toFile: splits + "/wave_test_split1.txt", atomically: true, encoding: .utf8)
        let broken = try runProcess(script, ["\(dir)/hmdb", splits, "--out", "\(dir)/data2", "--expect-videos", "4"])
        #expect(broken.status == 1 && broken.stderr.contains("wave_test_split1.txt:1: expected 'video.avi 0|1|2'"))
    }

    @Test func theCommittedPipelineFilesParse() throws {
        for name in ["demo", "demo-frames", "demo-motion", "ucf101", "hmdb51", "motion"] {
            let result = try CLITests.run(CLITests.binary, ["dump-config", "\(Self.root)/pipelines/\(name).yaml"])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(result.stdout.contains("version: 1"), "\(name)")
        }
    }
}
