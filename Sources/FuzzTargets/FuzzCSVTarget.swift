// Fuzz target `csv`: the three CSV readers of datasets — the manifest (`video,label,split`), the
// segment annotations (`video,start,end,label` in seconds or frames) and the caption file
// (`video,split,caption`, with and without splits) — each given the same bytes.
import Basics
import Datasets
import Foundation

enum FuzzCSVTarget {
    @Sendable static func run(_ bytes: [UInt8]) {
        let text = FileName.decode(bytes.filter { $0 != 0 })
        _ = try? Manifest.parse(text, file: "/fuzz/m.csv", folder: "/fuzz")
        _ = try? SegmentAnnotationsCSV.parse(String(decoding: bytes, as: UTF8.self), file: "/fuzz/s.csv")
        for splits in [true, false] {
            _ = try? CaptionTable.parse(Data(bytes), file: "/fuzz/c.csv", folder: "/fuzz", splits: splits)
        }
    }
}
