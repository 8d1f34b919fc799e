// Caption CSVs: columns in any order, quoted commas, several rows per video, empty captions counted
// and skipped, and each kind of error with its file and line (invalid UTF-8 included).
import Foundation
import Testing

@testable import Datasets

struct CaptionTableTests {
    static func parse(_ text: String, splits: Bool = true) throws(DatasetError) -> CaptionTable {
        try CaptionTable.parse(Data(text.utf8), file: "c.csv", folder: "/data/set", splits: splits)
    }

    @Test func parsesRowsAndGroupsByVideo() throws {
        let table = try Self.parse(
            "\u{FEFF}caption,video,split\r\n\"a dog, running\",a.mp4,train\na dog runs,a.mp4,train\n\n"
                + "a man cooks,b/c.mp4,test\n,b/c.mp4,test\n")
        #expect(table.rows.map(\.caption) == ["a dog, running", "a dog runs", "a man cooks"])
        #expect(table.rows.map(\.path) == ["/data/set/a.mp4", "/data/set/a.mp4", "/data/set/b/c.mp4"])
        #expect(table.rows.map(\.split) == [.train, .train, .test])
        #expect(table.rows.map(\.line) == [2, 3, 5])
        #expect(table.emptyCaptionLines == [6])
        #expect(table.captionsByVideo.map(\.video) == ["a.mp4", "b/c.mp4"])
        #expect(table.captionsByVideo.map(\.captions.count) == [2, 1])
    }

    @Test func splitColumnIsOptionalForScoring() throws {
        let table = try Self.parse("video,caption\na.mp4,x\n", splits: false)
        #expect(table.rows.first?.split == nil)
        let withSplit = try Self.parse("video,split,caption\na.mp4,train,x\n", splits: false)
        #expect(withSplit.rows.count == 1)
    }

    @Test(arguments: [
        (
            "video,caption\na,b\n",
            "c.csv:1: header \"video,caption\": missing split; expected video,split,caption (any order)"
        ),
        (
            "video,split,caption,label\n",
            "c.csv:1: header \"video,split,caption,label\": unknown column label; expected video,split,caption (any order)"
        ),
        ("video,split,caption\na.mp4,train\n", "c.csv:2: 2 fields, expected 3"),
        ("video,split,caption\na.mp4,dev,x\n", "c.csv:2: split \"dev\" is not one of train, val, test"),
        (
            "video,split,caption\na.mp4,train,x\n./a.mp4,test,y\n",
            "c.csv:3: video ./a.mp4 is in split test here but train on line 2"
        ),
        ("video,split,caption\n,train,x\n", "c.csv:2: empty video path"),
        (
            "video,split,caption\na.mp4,train,\"x\n",
            "c.csv:2: a quoted field has no closing quote (quoted fields cannot span lines)"
        ),
        ("", "c.csv:1: empty file; expected the header video,split,caption"),
    ])
    func errorsNameFileAndLine(text: String, message: String) {
        #expect(throws: DatasetError.self) { try Self.parse(text) }
        do {
            _ = try Self.parse(text)
        } catch {
            #expect(error.description == message)
            #expect(error.kind == .captions)
        }
    }

    @Test func invalidUTF8NamesTheLine() {
        var data = Data("video,split,caption\na.mp4,train,ok\nb.mp4,train,".utf8)
        data.append(contentsOf: [0xFF, 0xFE, 0x0A])
        do {
            _ = try CaptionTable.parse(data, file: "c.csv", folder: "/", splits: true)
            Issue.record("invalid UTF-8 was accepted")
        } catch {
            #expect(error.description == "c.csv:3: the line is not valid UTF-8; save the file as UTF-8")
        }
    }
}
