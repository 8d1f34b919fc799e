// Reader of segment annotation files (CSV, UTF-8), the ground truth of the `frames` task.
//
// Format: a header line naming exactly four columns, in any order, then one segment per line:
//
//     video,start,end,label                  start/end in seconds (decimal numbers, finite, >= 0)
//     video,start_frame,end_frame,label      start/end as decode-order frame indices (integers >= 0)
//
// `video` is the video's path as the dataset names it, `label` a class name. Every segment must
// have end > start; it is half-open, [start, end) (see `FrameLabels` for how frames are mapped).
// Blank lines are skipped, lines end in "\n" or "\r\n", unquoted fields are trimmed of spaces.
// Fields are read by `Basics.CSV` (RFC 4180 quoting: a quoted field may contain commas, writes a
// quote as `""`, cannot span lines; text between a closing quote and the next comma is an error).
// Any problem throws `SegmentAnnotationsError` naming the file, the 1-based line and what is
// wrong. The result maps each video to its segments in file order (the order breaks ties between
// overlapping segments).

import Basics
import Foundation
import SequenceModels

/// Why an annotation file could not be read; `description` names the file and line.
public struct SegmentAnnotationsError: VidactError, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Kind: String, Sendable, Hashable {
        case unreadable, emptyFile, badHeader, wrongFieldCount, badQuoting, emptyField, badNumber, badRange
    }

    public var kind: Kind
    /// The file as given to the reader.
    public var file: String
    /// 1-based line number; 0 when the file could not be read at all.
    public var line: Int
    public var detail: String

    public var description: String {
        line > 0 ? "\(file):\(line): \(detail)" : "\(file): \(detail)"
    }
}

/// Parses `video,start,end,label` / `video,start_frame,end_frame,label` annotation files.
public enum SegmentAnnotationsCSV {
    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(SegmentAnnotationsError) -> [String: [SegmentAnnotation]] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SegmentAnnotationsError(
                kind: .unreadable, file: path, line: 0,
                detail: "cannot read the annotation file as UTF-8 text (\(error.localizedDescription))")
        }
        return try parse(text, file: path)
    }

    /// Parses annotation text; `file` is only used in error messages.
    public static func parse(
        _ text: String, file: String
    ) throws(SegmentAnnotationsError) -> [String: [SegmentAnnotation]] {
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if lines.first?.hasPrefix("\u{FEFF}") == true { lines[0] = lines[0].dropFirst() }
        guard let headerNumber = lines.firstIndex(where: { !isBlank($0) }) else {
            throw SegmentAnnotationsError(
                kind: .emptyFile, file: file, line: 1,
                detail: "no header; expected `video,start,end,label` or `video,start_frame,end_frame,label`")
        }
        let header = try Header(
            fields: fields(of: lines[headerNumber], file: file, line: headerNumber + 1), file: file,
            line: headerNumber + 1)
        var result: [String: [SegmentAnnotation]] = [:]
        for number in (headerNumber + 1)..<lines.count where !isBlank(lines[number]) {
            let (video, segment) = try header.segment(
                from: fields(of: lines[number], file: file, line: number + 1), file: file, line: number + 1)
            result[video, default: []].append(segment)
        }
        return result
    }

    /// Splits one line into fields (`Basics.CSV`; unquoted fields trimmed).
    static func fields(of line: Substring, file: String, line number: Int) throws(SegmentAnnotationsError) -> [String] {
        do {
            return try CSV.fields(of: line, trimUnquoted: true)
        } catch {
            throw SegmentAnnotationsError(kind: .badQuoting, file: file, line: number, detail: error.description)
        }
    }

    private static func isBlank(_ line: Substring) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" }
    }
}
