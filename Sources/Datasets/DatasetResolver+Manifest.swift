// The `manifest` and `captions` layouts: the `video,label,split` CSV of `vidact train` (`Manifest`), as a dataset.
// Paths are relative to the CSV; the class order is the manifest's (sorted label names).
import Foundation

extension DatasetResolver {
    static func manifest(_ file: String) throws -> ResolvedDataset {
        let manifest = try Manifest.load(path: file)
        let folder = (file as NSString).deletingLastPathComponent
        let videos = manifest.entries.map { entry in
            DatasetVideo(
                path: entry.path, relativePath: Self.relative(entry.path, to: folder), label: entry.label,
                split: entry.split)
        }
        return ResolvedDataset(videos: videos, classes: manifest.labelNames)
    }

    /// The `captions` layout: the videos of a caption file with their splits (no class labels).
    static func captions(_ file: String) throws -> ResolvedDataset {
        let table = try CaptionTable.load(path: file, splits: true)
        let folder = (file as NSString).deletingLastPathComponent
        var seen = Set<String>()
        let videos = table.rows.compactMap { row -> DatasetVideo? in
            guard seen.insert(row.path).inserted else { return nil }
            return DatasetVideo(
                path: row.path, relativePath: Self.relative(row.path, to: folder), label: nil, split: row.split)
        }
        return ResolvedDataset(videos: videos, classes: [])
    }

    /// `path` relative to `folder` when it lies inside it, else as is.
    static func relative(_ path: String, to folder: String) -> String {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
