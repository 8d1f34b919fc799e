// The header of a segment annotation file and the conversion of one data line into a segment
// (see `SegmentAnnotationsCSV.swift` for the format).
import SequenceModels

extension SegmentAnnotationsCSV {
    /// Column positions and the unit the header declares.
    struct Header {
        static let secondsColumns = ["video", "start", "end", "label"]
        static let framesColumns = ["video", "start_frame", "end_frame", "label"]

        let unit: SegmentUnit
        let video: Int
        let start: Int
        let end: Int
        let label: Int

        init(fields: [String], file: String, line: Int) throws(SegmentAnnotationsError) {
            let names = fields.map { $0.lowercased() }
            let unit: SegmentUnit
            let columns: [String]
            if Set(names) == Set(Self.secondsColumns) && names.count == 4 {
                (unit, columns) = (.seconds, Self.secondsColumns)
            } else if Set(names) == Set(Self.framesColumns) && names.count == 4 {
                (unit, columns) = (.frames, Self.framesColumns)
            } else {
                throw SegmentAnnotationsError(
                    kind: .badHeader, file: file, line: line,
                    detail: "header is `\(fields.joined(separator: ","))`; expected the columns "
                        + "`video,start,end,label` (seconds) or `video,start_frame,end_frame,label` (frame indices)")
            }
            self.unit = unit
            // The header was checked to hold exactly these four columns.
            let position = { (column: String) in names.firstIndex(of: column) ?? 0 }
            (video, start, end, label) = (
                position(columns[0]), position(columns[1]), position(columns[2]), position(columns[3])
            )
        }

        /// The video and segment of one data line.
        func segment(
            from fields: [String], file: String, line: Int
        ) throws(SegmentAnnotationsError) -> (
            String, SegmentAnnotation
        ) {
            func fail(_ kind: SegmentAnnotationsError.Kind, _ detail: String) -> SegmentAnnotationsError {
                SegmentAnnotationsError(kind: kind, file: file, line: line, detail: detail)
            }
            guard fields.count == 4 else {
                throw fail(.wrongFieldCount, "\(fields.count) fields; expected 4 like the header")
            }
            guard !fields[video].isEmpty else { throw fail(.emptyField, "the video field is empty") }
            guard !fields[label].isEmpty else { throw fail(.emptyField, "the label field is empty") }
            let names = unit == .seconds ? Header.secondsColumns : Header.framesColumns
            let startValue = try number(fields[start], column: names[1], fail: fail)
            let endValue = try number(fields[end], column: names[2], fail: fail)
            guard endValue > startValue else {
                throw fail(
                    .badRange, "\(names[2]) \(fields[end]) is not after \(names[1]) \(fields[start]) (need end > start)"
                )
            }
            return (
                fields[video], SegmentAnnotation(start: startValue, end: endValue, label: fields[label], unit: unit)
            )
        }

        private func number(
            _ text: String, column: String, fail: (SegmentAnnotationsError.Kind, String) -> SegmentAnnotationsError
        ) throws(SegmentAnnotationsError) -> Double {
            switch unit {
            case .frames:
                guard let value = Int(text), value >= 0 else {
                    throw fail(.badNumber, "\(column) `\(text)` is not a frame index (an integer >= 0)")
                }
                return Double(value)
            case .seconds:
                guard let value = Double(text), value.isFinite, value >= 0,
                    text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-" })
                else {
                    throw fail(.badNumber, "\(column) `\(text)` is not a time in seconds (a finite decimal >= 0)")
                }
                return value
            }
        }
    }
}
