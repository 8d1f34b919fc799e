// Dataset layouts: folder per class (classes sorted, stable hash splits), UCF101 split files
// (classInd order), unlabelled folders, and clear errors for broken split files.
import Foundation
import Testing

@testable import Datasets
@testable import Pipeline

struct DatasetResolverTests {
    func tree(_ files: [String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vidact-ds-\(UUID().uuidString)").path
        for file in files {
            let path = root + "/" + file
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        }
        return root
    }

    /// The dataset section of a pipeline file (read as `vidact run` reads it) in `root`.
    func config(_ yaml: String, root: String) throws -> DatasetSpec {
        try PipelineConfig.parse("version: 1\n" + yaml, file: root + "/p.yaml").dataset
    }

    @Test func folderPerClassSortsClassesAndSplitsStably() throws {
        let files =
            (0..<30).flatMap { ["videos/walk/\($0).mp4", "videos/Run/\($0).mp4"] } + [
                "videos/walk/notes.txt", "videos/.hidden/x.mp4", "videos/loose.mp4",
            ]
        let root = try tree(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dataset = try DatasetResolver.resolve(
            config("dataset: {layout: folder_per_class, root: videos}", root: root))
        #expect(dataset.classes == ["Run", "walk"])
        #expect(dataset.videos.count == 60)
        let counts = Dictionary(grouping: dataset.videos, by: { $0.split! }).mapValues(\.count)
        #expect(counts[.train]! > 20 && counts[.val]! > 3 && counts[.test]! > 3, "\(counts)")
        // Adding videos never moves the old ones between splits.
        _ = FileManager.default.createFile(atPath: root + "/videos/walk/new.mp4", contents: Data())
        let grown = try DatasetResolver.resolve(config("dataset: {layout: folder_per_class, root: videos}", root: root))
        for video in dataset.videos {
            #expect(grown.videos.first { $0.relativePath == video.relativePath }?.split == video.split)
        }
    }

    @Test func ucf101SplitFiles() throws {
        let root = try tree(["ucf/videos/Jump/v_Jump_g01_c01.avi", "ucf/videos/Archery/v_Archery_g01_c01.avi"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "1 Jump\n2 Archery\n".write(toFile: root + "/ucf/classInd.txt", atomically: true, encoding: .utf8)
        try "Jump/v_Jump_g01_c01.avi 1\n".write(
            toFile: root + "/ucf/trainlist01.txt", atomically: true, encoding: .utf8)
        try "Archery/v_Archery_g01_c01.avi\n".write(
            toFile: root + "/ucf/testlist01.txt", atomically: true, encoding: .utf8)
        let dataset = try DatasetResolver.resolve(
            config("dataset: {layout: ucf101, root: ucf/videos, val_fraction: 0}", root: root))
        #expect(dataset.classes == ["Jump", "Archery"], "classInd order, not sorted")
        #expect(dataset.videos.map(\.split) == [.test, .train])
        #expect(dataset.videos[1].path == root + "/ucf/videos/Jump/v_Jump_g01_c01.avi")
        try "1 Jump\n3 Archery\n".write(toFile: root + "/ucf/classInd.txt", atomically: true, encoding: .utf8)
        #expect(throws: DatasetLayoutError.self) {
            try DatasetResolver.resolve(config("dataset: {layout: ucf101, root: ucf/videos}", root: root))
        }
    }

    @Test func unlabelledFolder() throws {
        let root = try tree(["in/a.mp4", "in/sub/b.mkv", "in/c.txt"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dataset = try DatasetResolver.resolve(config("dataset: {layout: unlabelled, root: in}", root: root))
        #expect(dataset.videos.map(\.relativePath) == ["a.mp4", "sub/b.mkv"])
        #expect(dataset.videos.allSatisfy { $0.label == nil && $0.split == nil })
    }
}
