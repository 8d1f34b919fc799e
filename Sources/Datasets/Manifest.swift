// A dataset manifest: a CSV that lists videos with their class and split, the input of
// `vidact train` and `vidact evaluate` (and later of pipeline files). Format:
//
//   video,label,split            header: exactly these three names, in any order; any other
//   clips/a.mp4,walk,train       column is an error (so a typo never silently drops data)
//   clips/b.mp4,run,val          video: a path, relative to the folder of the CSV (or absolute)
//   "clips/c, d.mp4",run,test    label: a class name (may be empty for the frames task, whose
//                                classes come from the segments file); split: train|val|test
//
// Fields may be quoted with `"` (a quoted field may hold commas and `""`, not newlines); blank
// lines are skipped; a video listed twice is an error. Every error names the file and the line.
// Class order (the index each class gets in a model): the label names sorted by their UTF-8
// bytes, over all rows of every split — never file or filesystem order — so the same manifest
// always gives the same indices.
import Basics
import Foundation

/// Which part of a dataset a video belongs to.
public enum ManifestSplit: String, Sendable, Hashable, CaseIterable, Codable {
    case train, val, test
}

/// One row of a manifest.
public struct ManifestEntry: Sendable, Hashable {
    /// The path as written in the CSV.
    public var video: String
    /// The path resolved against the CSV's folder and standardised.
    public var path: String
    public var label: String
    public var split: ManifestSplit
    /// 1-based line in the CSV (the header is line 1).
    public var line: Int

    public init(video: String, path: String, label: String, split: ManifestSplit, line: Int) {
        self.video = video
        self.path = path
        self.label = label
        self.split = split
        self.line = line
    }
}

/// A parsed manifest.
public struct Manifest: Sendable {
    public static let columns = ["video", "label", "split"]

    /// The CSV it was read from.
    public var file: String
    public var entries: [ManifestEntry]

    public init(file: String, entries: [ManifestEntry]) {
        self.file = file
        self.entries = entries
    }

    /// Reads and parses `path`.
    public static func load(path: String) throws(DatasetError) -> Manifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError(.manifest, file: path, "cannot read the manifest")
        }
        let folder = (DatasetPaths.absolute(path) as NSString).deletingLastPathComponent
        // FileName.decode: a video name that is not UTF-8 keeps its bytes (see FileName).
        return try parse(FileName.decode(data), file: path, folder: folder)
    }

    /// Parses manifest text; relative video paths are resolved against `folder`.
    public static func parse(_ text: String, file: String, folder: String) throws(DatasetError) -> Manifest {
        // "\r\n" is one Character, which `isNewline` matches as it matches "\n".
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        guard let headerLine = lines.first, !headerLine.isEmpty else {
            throw DatasetError(.manifest, file: file, line: 1, "empty file; expected the header video,label,split")
        }
        let header = try CSVFields.split(headerLine, file: file, line: 1).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let unknown = header.filter { !columns.contains($0) }
        let missing = columns.filter { !header.contains($0) }
        guard unknown.isEmpty, missing.isEmpty, header.count == columns.count else {
            var problems: [String] = []
            if !missing.isEmpty { problems.append("missing \(missing.joined(separator: ", "))") }
            if !unknown.isEmpty { problems.append("unknown column \(unknown.joined(separator: ", "))") }
            if problems.isEmpty { problems.append("a column is repeated") }
            throw DatasetError(
                .manifest, file: file, line: 1,
                "header \"\(headerLine)\": \(problems.joined(separator: "; ")); expected exactly video,label,split "
                    + "(any order)")
        }
        guard let v = header.firstIndex(of: "video"), let l = header.firstIndex(of: "label"),
            let s = header.firstIndex(of: "split")
        else { preconditionFailure("Manifest.parse: the header was checked to hold the three columns") }
        var entries: [ManifestEntry] = []
        var seen: [String: Int] = [:]
        for (offset, text) in lines.enumerated().dropFirst() where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let line = offset + 1
            let fields = try CSVFields.split(text, file: file, line: line)
            guard fields.count == columns.count else {
                throw DatasetError(.manifest, file: file, line: line, "\(fields.count) fields, expected 3")
            }
            let video = fields[v].trimmingCharacters(in: .whitespaces)
            guard !video.isEmpty else { throw DatasetError(.manifest, file: file, line: line, "empty video path") }
            let splitText = fields[s].trimmingCharacters(in: .whitespaces)
            guard let split = ManifestSplit(rawValue: splitText) else {
                throw DatasetError(
                    .manifest, file: file, line: line, "split \"\(splitText)\" is not one of train, val, test")
            }
            let path = DatasetPaths.resolve(video, against: folder)
            if let first = seen[path] {
                throw DatasetError(
                    .manifest, file: file, line: line, "video \(video) is already listed on line \(first)")
            }
            seen[path] = line
            entries.append(
                ManifestEntry(
                    video: video, path: path, label: fields[l].trimmingCharacters(in: .whitespaces), split: split,
                    line: line))
        }
        guard !entries.isEmpty else { throw DatasetError(.manifest, file: file, "no videos listed") }
        return Manifest(file: file, entries: entries)
    }

    /// The rows of one split, in file order.
    public func entries(_ split: ManifestSplit) -> [ManifestEntry] { entries.filter { $0.split == split } }

    /// The class names of the clip task: sorted, unique (see the top of this file).
    public var labelNames: [String] {
        Set(entries.map(\.label)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}

/// `Basics.CSV` with its errors as `DatasetError`s naming the file and line.
enum CSVFields {
    static func split(
        _ line: String, file: String, line number: Int, kind: DatasetError.Kind = .manifest
    ) throws(DatasetError) -> [String] {
        do {
            return try CSV.fields(of: line)
        } catch {
            throw DatasetError(kind, file: file, line: number, error.description)
        }
    }
}

/// Path helpers shared by the dataset readers.
enum DatasetPaths {
    static func absolute(_ path: String) -> String {
        resolve(path, against: FileManager.default.currentDirectoryPath)
    }

    static func resolve(_ path: String, against folder: String) -> String {
        let joined = path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }
}
