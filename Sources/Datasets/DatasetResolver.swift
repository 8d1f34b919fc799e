// Turns the `dataset` section of a pipeline file into the list of videos with labels and splits:
//
//   folder_per_class  root/<class>/**/<video>; classes sorted by name; split by a hash of the
//                     relative path (first 8 bytes of SHA-256 as a fraction: < test_fraction → test,
//                     < test + val → val, else train), so adding videos never moves old ones
//   ucf101            classInd.txt ("1 ApplyEyeMakeup"), trainlist0N.txt ("Class/v_x.avi 1"),
//                     testlist0N.txt ("Class/v_x.avi") in splits_folder (default: root's parent);
//                     class order = classInd; val carved out of the train list by the same hash
//   unlabelled        every video under root, no labels (predict only)
//   manifest          `video,label,split` CSV (see Manifest)
//
// Problems name the file (and line) and say what to fix.
import Basics
import Crypto
import Foundation

public enum DatasetResolver {
    public static func resolve(_ dataset: DatasetSpec) throws -> ResolvedDataset {
        switch dataset.source {
        case .folderPerClass(let root): return try folderPerClass(dataset, root: root)
        case .ucf101(let root, let splitsFolder): return try ucf101(dataset, root: root, splitsFolder: splitsFolder)
        case .unlabelled(let root):
            let videos = try walk(root, extensions: dataset.extensions).map {
                DatasetVideo(path: root + "/" + $0, relativePath: $0, label: nil, split: nil)
            }
            return ResolvedDataset(videos: videos, classes: [])
        case .manifest(let file): return try manifest(file)
        case .captions(let file): return try captions(file)
        }
    }

    static func folderPerClass(_ dataset: DatasetSpec, root: String) throws -> ResolvedDataset {
        var videos: [DatasetVideo] = []
        var classes = Set<String>()
        for relative in try walk(root, extensions: dataset.extensions) {
            let parts = relative.split(separator: "/")
            guard parts.count >= 2 else { continue }  // files directly in root have no class
            let label = String(parts[0])
            classes.insert(label)
            videos.append(
                DatasetVideo(
                    path: root + "/" + relative, relativePath: relative, label: label,
                    split: split(relative, val: dataset.valFraction, test: dataset.testFraction)))
        }
        guard !videos.isEmpty else {
            throw DatasetLayoutError(root, "no videos in class folders (expected \(root)/<class>/<video>)")
        }
        return ResolvedDataset(videos: videos, classes: classes.sorted())
    }

    static func ucf101(_ dataset: DatasetSpec, root: String, splitsFolder: String?) throws -> ResolvedDataset {
        let folder = splitsFolder ?? (root as NSString).deletingLastPathComponent
        let classFile = folder + "/classInd.txt"
        var classes: [String] = []
        for (number, line) in try lines(classFile) {
            let fields = line.split(separator: " ")
            guard fields.count == 2, Int(fields[0]) == classes.count + 1 else {
                throw DatasetLayoutError(
                    classFile, "line \(number): expected '\(classes.count + 1) ClassName', got '\(line)'")
            }
            classes.append(String(fields[1]))
        }
        var videos: [DatasetVideo] = []
        for (file, isTrain) in [("trainlist0\(dataset.split).txt", true), ("testlist0\(dataset.split).txt", false)] {
            let path = folder + "/" + file
            for (number, line) in try lines(path) {
                let relative = String(line.split(separator: " ")[0])
                let label = String(relative.split(separator: "/")[0])
                guard classes.contains(label) else {
                    throw DatasetLayoutError(path, "line \(number): class '\(label)' is not in classInd.txt")
                }
                let split: DataSplit = isTrain ? (Self.split(relative, val: dataset.valFraction, test: 0)) : .test
                videos.append(
                    DatasetVideo(path: root + "/" + relative, relativePath: relative, label: label, split: split))
            }
        }
        return ResolvedDataset(videos: videos, classes: classes)
    }

    /// The split of `relative` by its hash.
    static func split(_ relative: String, val: Double, test: Double) -> DataSplit {
        let digest = Array(SHA256.hash(data: Data(relative.utf8)))
        let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let fraction = Double(value >> 11) / Double(UInt64(1) << 53)
        return fraction < test ? .test : fraction < test + val ? .val : .train
    }

    /// Video files under `root` (relative paths, sorted by name bytes), skipping hidden names. Names
    /// that are not UTF-8 come back as `FileName` path strings, so they open like any other.
    static func walk(_ root: String, extensions: [String]) throws -> [String] {
        guard DirectoryWalk.isFolder(root) else {
            throw DatasetLayoutError(root, "the dataset root is not a folder")
        }
        return try DirectoryWalk.files(under: root) { extensions.contains(DirectoryWalk.pathExtension($0)) }
    }

    /// Non-empty lines of a text file with their 1-based numbers.
    static func lines(_ path: String) throws -> [(Int, String)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DatasetLayoutError(path, "cannot read it (missing or not UTF-8)")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : (index + 1, trimmed)
        }
    }
}

/// A dataset that cannot be read: the file and what is wrong with it.
public struct DatasetLayoutError: VidactError, Sendable, CustomStringConvertible {
    public let path: String
    public let detail: String

    public init(_ path: String, _ detail: String) {
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }

    /// A layout the pipeline file names wrongly is a configuration error.
    public var exitStatus: Int32 { 2 }
}
