// The segment annotation CSV reader: both headers, column order, CRLF, blank lines, minimal
// quoting, and errors that name the file and line.

import Foundation
import SequenceModels
import TestSupport
import Testing

@testable import Datasets

@Suite struct SegmentAnnotationsCSVTests {
    func parseError(_ text: String) -> SegmentAnnotationsError? {
        do {
            _ = try SegmentAnnotationsCSV.parse(text, file: "ann.csv")
            return nil
        } catch {
            return error
        }
    }

    @Test func secondsFile() throws {
        let text = """
            video,start,end,label\r
            a.mp4,0,1.5,walk\r
            \r
            a.mp4, 1.5 , 3.25 ,"run, fast"\r
            "dir/b ""x"".mp4",2e0,4,walk\r

            """
        let parsed = try SegmentAnnotationsCSV.parse(text, file: "ann.csv")
        #expect(parsed.count == 2)
        #expect(
            parsed["a.mp4"] == [
                SegmentAnnotation(start: 0, end: 1.5, label: "walk", unit: .seconds),
                SegmentAnnotation(start: 1.5, end: 3.25, label: "run, fast", unit: .seconds),
            ])
        #expect(parsed["dir/b \"x\".mp4"] == [SegmentAnnotation(start: 2, end: 4, label: "walk", unit: .seconds)])
    }

    @Test func framesFileInAnyColumnOrder() throws {
        let text = "label,end_frame,video,start_frame\nrun,30,v.mp4,0\njump,60,v.mp4,30\n"
        let parsed = try SegmentAnnotationsCSV.parse(text, file: "ann.csv")
        #expect(
            parsed == [
                "v.mp4": [
                    SegmentAnnotation(start: 0, end: 30, label: "run", unit: .frames),
                    SegmentAnnotation(start: 30, end: 60, label: "jump", unit: .frames),
                ]
            ])
    }

    @Test func errorsNameFileLineAndProblem() {
        let cases: [(String, SegmentAnnotationsError.Kind, Int, String)] = [
            ("", .emptyFile, 1, "no header"),
            ("video,begin,end,label\n", .badHeader, 1, "begin"),
            ("\nvideo,start,end,label,extra\n", .badHeader, 2, "expected the columns"),
            ("video,start,end,label\na,0,1,x\na,1,2\n", .wrongFieldCount, 3, "3 fields"),
            ("video,start,end,label\na,zero,1,x\n", .badNumber, 2, "start `zero`"),
            ("video,start,end,label\na,0,nan,x\n", .badNumber, 2, "end `nan`"),
            ("video,start,end,label\na,-1,1,x\n", .badNumber, 2, "start `-1`"),
            ("video,start_frame,end_frame,label\na,0,1.5,x\n", .badNumber, 2, "end_frame `1.5`"),
            ("video,start_frame,end_frame,label\na,-3,1,x\n", .badNumber, 2, "start_frame `-3`"),
            ("video,start,end,label\na,2,2,x\n", .badRange, 2, "need end > start"),
            ("video,start,end,label\na,0,1,\n", .emptyField, 2, "label"),
            ("video,start,end,label\n,0,1,x\n", .emptyField, 2, "video"),
            ("video,start,end,label\n\"a,0,1,x\n", .badQuoting, 2, "no closing quote"),
            ("video,start,end,label\n\"a\"b,0,1,x\n", .badQuoting, 2, "after the closing quote"),
        ]
        for (text, kind, line, fragment) in cases {
            let error = parseError(text)
            #expect(error?.kind == kind, "\(text.debugDescription): \(String(describing: error))")
            #expect(error?.line == line, "\(text.debugDescription): \(String(describing: error))")
            let message = error?.description ?? ""
            #expect(message.hasPrefix("ann.csv:\(line): ") && message.contains(fragment), "\(message)")
        }
    }

    @Test func loadReadsFilesAndNamesMissingOnes() throws {
        let folder = URL(fileURLWithPath: try TemporaryDirectory.make("csv"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("segments.csv").path
        try "video,start,end,label\nv.mp4,0,2,walk\n".write(toFile: path, atomically: true, encoding: .utf8)
        let parsed = try SegmentAnnotationsCSV.load(path: path)
        #expect(parsed == ["v.mp4": [SegmentAnnotation(start: 0, end: 2, label: "walk")]])
        let missing = folder.appendingPathComponent("missing.csv").path
        #expect {
            _ = try SegmentAnnotationsCSV.load(path: missing)
        } throws: { error in
            guard let error = error as? SegmentAnnotationsError else { return false }
            return error.kind == .unreadable && error.description.hasPrefix(missing + ": ")
        }
    }
}
