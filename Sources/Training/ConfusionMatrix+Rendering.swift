// A confusion matrix for people: an aligned text table for the terminal and an SVG heatmap for
// reports. The SVG is standalone (XML declaration, `xmlns`, explicit size), draws one square per
// (truth, predicted) pair coloured by the fraction of its row (white 0 → dark blue 1, so classes
// of different sizes compare), prints the count in each square, and labels rows (truth) and
// columns (predicted, rotated) with the class names, XML-escaped. It lives beside the evaluation
// that writes it (layer 4) rather than in SequenceModels, which computes the matrix.
import Basics
import SequenceModels

extension ConfusionMatrix {
    /// The matrix as a right-aligned text table: one row per true class, one column per predicted
    /// class, headed by the class names.
    public func text(labelNames: [String]) -> String {
        checkNames(labelNames)
        let corner = "truth \\ predicted"
        let rowHeader = max(corner.count, labelNames.map(\.count).max() ?? 0)
        let widths = (0..<classCount).map { j in
            max(labelNames[j].count, (0..<classCount).map { String(self[$0, j]).count }.max() ?? 1)
        }
        func pad(_ text: String, _ width: Int, left: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + fill : fill + text
        }
        var lines = [
            ([pad(corner, rowHeader, left: true)]
                + (0..<classCount).map { pad(labelNames[$0], widths[$0], left: false) })
                .joined(separator: "  ")
        ]
        for i in 0..<classCount {
            let cells = (0..<classCount).map { pad(String(self[i, $0]), widths[$0], left: false) }
            lines.append(([pad(labelNames[i], rowHeader, left: true)] + cells).joined(separator: "  "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The matrix as a standalone SVG heatmap with the class names on both axes.
    public func svg(labelNames: [String]) -> String {
        checkNames(labelNames)
        let cell = 36
        let charWidth = 7  // approximate advance of a 12 px sans-serif character
        let longest = labelNames.map(\.count).max() ?? 0
        let left = 20 + longest * charWidth + 24  // row names, then the "truth" axis title
        let top = 40 + longest * charWidth * 7 / 10  // rotated column names (-45°) plus the title
        let side = cell * classCount
        let width = left + side + max(20, longest * charWidth * 7 / 10)  // room for the last rotated name
        let height = top + side + 40
        var out = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
                + "viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">",
            "<title>Confusion matrix: rows are the true class, columns the predicted class; "
                + "colour is the fraction of the row</title>",
            "<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>",
        ]
        for i in 0..<classCount {
            let rowTotal = self.rowTotal(i)
            for j in 0..<classCount {
                let count = self[i, j]
                let fraction = rowTotal > 0 ? Double(count) / Double(rowTotal) : 0
                let x = left + j * cell
                let y = top + i * cell
                out.append(
                    "<rect class=\"cell\" x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" "
                        + "fill=\"\(Self.heatColour(fraction))\" stroke=\"#cccccc\"><title>"
                        + XML.escape("\(labelNames[i]) → \(labelNames[j]): \(count)") + "</title></rect>")
                out.append(
                    "<text x=\"\(x + cell / 2)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"middle\" "
                        + "fill=\"\(fraction > 0.5 ? "#ffffff" : "#000000")\">\(count)</text>")
            }
            out.append(
                "<text class=\"row-label\" x=\"\(left - 6)\" y=\"\(top + i * cell + cell / 2 + 4)\" "
                    + "text-anchor=\"end\">\(XML.escape(labelNames[i]))</text>")
        }
        for j in 0..<classCount {
            let x = left + j * cell + cell / 2
            out.append(
                "<text class=\"column-label\" x=\"\(x)\" y=\"\(top - 6)\" text-anchor=\"start\" "
                    + "transform=\"rotate(-45 \(x) \(top - 6))\">\(XML.escape(labelNames[j]))</text>")
        }
        out.append(
            "<text x=\"\(left + side / 2)\" y=\"\(top + side + 24)\" text-anchor=\"middle\">predicted</text>")
        out.append(
            "<text x=\"14\" y=\"\(top + side / 2)\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 14 \(top + side / 2))\">truth</text>")
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// Linear blend from white (0) to dark blue #08306b (1), as `#rrggbb`.
    static func heatColour(_ fraction: Double) -> String {
        let f = min(1, max(0, fraction))
        let channels = [(255.0, 8.0), (255.0, 48.0), (255.0, 107.0)].map { from, to in
            Int((from + (to - from) * f).rounded())
        }
        return "#" + channels.map { hex2($0) }.joined()
    }

    private static func hex2(_ value: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[value / 16], digits[value % 16]])
    }

    private func checkNames(_ labelNames: [String]) {
        precondition(
            labelNames.count == classCount,
            "ConfusionMatrix: \(labelNames.count) label names for \(classCount) classes")
    }
}
