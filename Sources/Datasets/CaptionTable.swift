// Caption CSVs: vidact's caption dataset file and the inputs of `vidact score-captions`. Format:
//
//   video,split,caption                       header: video and caption, and split where the
//   clips/a.mp4,train,a dog runs on the grass  reader asks for it, in any order; any other
//   clips/a.mp4,train,"a dog, running"         column is an error
//   clips/b.mp4,test,a man is cooking         video: a path relative to the CSV's folder (or
//                                              absolute); split: train|val|test, the same on every
//                                              row of a video; caption: raw text (vidact tokenises)
//
// Several rows per video, one per reference caption. RFC 4180 quoting (`Basics.CSV`); blank lines
// are skipped; the file must be UTF-8 (an invalid line is an error naming it); a row with an empty
// caption is skipped and counted (`emptyCaptionLines`), so one blank cell never stops a dataset.
// Every error names the file and the line.
import Basics
import Foundation

/// One caption row.
public struct CaptionRow: Sendable, Hashable {
    /// The video as written in the CSV.
    public var video: String
    /// The video resolved against the CSV's folder and standardised.
    public var path: String
    public var split: ManifestSplit?
    public var caption: String
    /// 1-based line (the header is line 1).
    public var line: Int
}

/// A parsed caption CSV.
public struct CaptionTable: Sendable {
    public var file: String
    public var rows: [CaptionRow]
    /// Lines whose caption was empty (skipped).
    public var emptyCaptionLines: [Int]

    /// Reads `path`. `splits`: whether the `split` column is required (a caption dataset) or
    /// allowed (score-captions references, where it is ignored).
    public static func load(path: String, splits: Bool) throws(DatasetError) -> CaptionTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError(.captions, file: path, "cannot read the captions file")
        }
        let folder = (DatasetPaths.absolute(path) as NSString).deletingLastPathComponent
        return try parse(data, file: path, folder: folder, splits: splits)
    }

    public static func parse(
        _ data: Data, file: String, folder: String, splits: Bool
    ) throws(DatasetError)
        -> CaptionTable
    {
        let lines = try utf8Lines(data, file: file)
        let required = splits ? ["video", "split", "caption"] : ["video", "caption"]
        let allowed = ["video", "split", "caption"]
        guard let headerLine = lines.first, !headerLine.isEmpty else {
            throw DatasetError(
                .captions, file: file, line: 1, "empty file; expected the header \(required.joined(separator: ","))")
        }
        let header = try CSVFields.split(headerLine, file: file, line: 1, kind: .captions).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let missing = required.filter { !header.contains($0) }
        let unknown = header.filter { !allowed.contains($0) }
        guard missing.isEmpty, unknown.isEmpty, Set(header).count == header.count else {
            var problems = missing.isEmpty ? [] : ["missing \(missing.joined(separator: ", "))"]
            if !unknown.isEmpty { problems.append("unknown column \(unknown.joined(separator: ", "))") }
            if problems.isEmpty { problems.append("a column is repeated") }
            throw DatasetError(
                .captions, file: file, line: 1,
                "header \"\(headerLine)\": \(problems.joined(separator: "; ")); expected "
                    + "\(required.joined(separator: ",")) (any order)")
        }
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        var rows: [CaptionRow] = []
        var empty: [Int] = []
        var splitOf: [String: (ManifestSplit, Int)] = [:]
        for (offset, text) in lines.enumerated().dropFirst() where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let line = offset + 1
            let fields = try CSVFields.split(text, file: file, line: line, kind: .captions)
            guard fields.count == header.count else {
                throw DatasetError(
                    .captions, file: file, line: line, "\(fields.count) fields, expected \(header.count)")
            }
            let field = { (name: String) in column[name].map { fields[$0].trimmingCharacters(in: .whitespaces) } }
            guard let video = field("video"), !video.isEmpty else {
                throw DatasetError(.captions, file: file, line: line, "empty video path")
            }
            let path = DatasetPaths.resolve(video, against: folder)
            var split: ManifestSplit? = nil
            if splits, let text = field("split") {
                guard let value = ManifestSplit(rawValue: text) else {
                    throw DatasetError(
                        .captions, file: file, line: line, "split \"\(text)\" is not one of train, val, test")
                }
                if let (first, firstLine) = splitOf[path], first != value {
                    throw DatasetError(
                        .captions, file: file, line: line,
                        "video \(video) is in split \(value.rawValue) here but \(first.rawValue) on line \(firstLine)")
                }
                splitOf[path] = splitOf[path] ?? (value, line)
                split = value
            }
            let caption = field("caption") ?? ""
            guard !caption.isEmpty else {
                empty.append(line)
                continue
            }
            rows.append(CaptionRow(video: video, path: path, split: split, caption: caption, line: line))
        }
        return CaptionTable(file: file, rows: rows, emptyCaptionLines: empty)
    }

    /// The lines of `data`, each checked to be UTF-8 (an invalid one is an error naming it).
    static func utf8Lines(_ data: Data, file: String) throws(DatasetError) -> [String] {
        var lines: [String] = []
        for (index, bytes) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            var bytes = bytes
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            guard let line = String(bytes: bytes, encoding: .utf8) else {
                throw DatasetError(
                    .captions, file: file, line: index + 1, "the line is not valid UTF-8; save the file as UTF-8")
            }
            // A byte-order mark at the start of the file is not part of the header.
            lines.append(index == 0 && line.hasPrefix("\u{FEFF}") ? String(line.dropFirst()) : line)
        }
        return lines
    }

    /// The captions of each video (as written), in order of first appearance.
    public var captionsByVideo: [(video: String, captions: [String])] {
        var order: [String] = []
        var captions: [String: [String]] = [:]
        for row in rows {
            if captions[row.video] == nil { order.append(row.video) }
            captions[row.video, default: []].append(row.caption)
        }
        return order.map { ($0, captions[$0] ?? []) }
    }
}
