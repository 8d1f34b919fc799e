// The report's figures as inline SVG: a video's timeline of labelled segments (the prediction, and
// the annotation under it when known; one `rect.seg` per segment, coloured by class), training
// curves (loss and accuracy per epoch, train vs validation, one `polyline.curve` each) and the
// confusion matrix (the heatmap of `ConfusionMatrix.svg` without its XML declaration, so it can sit
// inside HTML), and a caption's attention heatmap (words × sampled frames). Class colours come from
// one fixed palette by class index, shared with the legend.
import Basics
import Foundation
import SequenceModels

enum ReportSVG {
    /// Twelve distinguishable colours (Tableau 10 plus two), cycled for more classes.
    static let palette = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
        "#17becf", "#7f7f7f",
    ]

    static func colour(_ label: String, classes: [String]) -> String {
        guard let index = classes.firstIndex(of: label) else { return "#000000" }
        return palette[index % palette.count]
    }

    /// A caption's attention: one row per word (the final <eos> row labelled so), one column per
    /// sampled frame, darker where the word attended more (each row sums to 1).
    static func attention(_ weights: [[Double]], words: [String]) -> String {
        let frames = weights.map(\.count).max() ?? 0
        guard frames > 0 else { return "" }
        let (cell, labelWidth) = (14.0, 70.0)
        let width = labelWidth + cell * Double(frames)
        let height = cell * Double(weights.count) + 14
        var svg = [
            "<svg class=\"attention\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" "
                + "height=\"\(Int(height))\" role=\"img\"><title>attention over the sampled frames per word</title>"
        ]
        for (row, alpha) in weights.enumerated() {
            let word = row < words.count ? words[row] : "<eos>"
            let y = Double(row) * cell
            svg.append(
                "<text x=\"\(Int(labelWidth) - 4)\" y=\"\(y + cell - 3)\" text-anchor=\"end\" font-size=\"10\">"
                    + "\(XML.escape(word))</text>")
            let top = max(alpha.max() ?? 1, 1e-9)
            for (column, value) in alpha.enumerated() {
                let shade = String(format: "%.3f", value / top)
                svg.append(
                    "<rect x=\"\(labelWidth + Double(column) * cell)\" y=\"\(y)\" width=\"\(cell - 1)\" "
                        + "height=\"\(cell - 1)\" fill=\"#1f5fa8\" fill-opacity=\"\(shade)\"><title>"
                        + "\(XML.escape(word)), frame \(column + 1): \(String(format: "%.3f", value))</title></rect>")
            }
        }
        svg.append(
            "<text x=\"\(Int(labelWidth))\" y=\"\(Int(height) - 2)\" font-size=\"9\">frames 1–\(frames) →</text>")
        svg.append("</svg>")
        return svg.joined()
    }

    /// One or two lanes (prediction, then truth) of coloured segments over the video's time.
    static func timeline(
        predicted: [Report.Segment], truth: [Report.Segment], classes: [String], width: Int = 320
    ) -> String {
        let lanes = [("predicted", predicted), ("truth", truth)].filter { !$0.1.isEmpty }
        guard !lanes.isEmpty else { return "" }
        let end = max(lanes.flatMap { $0.1.map(\.end) }.max() ?? 0, 1e-9)
        let labelWidth = 60
        let laneHeight = 14
        let height = lanes.count * (laneHeight + 4)
        let scale = Double(width - labelWidth) / end
        var out = [
            "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
                + "viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"10\">"
        ]
        for (lane, (name, segments)) in lanes.enumerated() {
            let y = lane * (laneHeight + 4)
            out.append("<text x=\"0\" y=\"\(y + 11)\">\(name)</text>")
            for segment in segments {
                let x = Double(labelWidth) + max(0, segment.start) * scale
                let w = max(1, (min(segment.end, end) - max(0, segment.start)) * scale)
                out.append(
                    "<rect class=\"seg \(name)\" data-label=\"\(XML.escape(segment.label))\" x=\""
                        + format(x) + "\" y=\"\(y)\" width=\"" + format(w) + "\" height=\"\(laneHeight)\" fill=\""
                        + colour(segment.label, classes: classes) + "\"><title>"
                        + XML.escape(
                            "\(segment.label): \(format(segment.start)) s – \(format(segment.end)) s")
                        + "</title></rect>")
            }
        }
        out.append("</svg>")
        return out.joined()
    }

    /// Loss and accuracy per epoch, train vs validation, as two side-by-side charts.
    static func trainingCurves(_ epochs: [Report.Epoch]) -> String {
        guard !epochs.isEmpty else { return "" }
        let loss = chart(
            title: "loss", epochs: epochs,
            series: [("train", epochs.map(\.trainLoss)), ("validation", epochs.map(\.validationLoss))], unitRange: false
        )
        let accuracy = chart(
            title: "accuracy", epochs: epochs,
            series: [("train", epochs.map(\.trainAccuracy)), ("validation", epochs.map(\.validationAccuracy))],
            unitRange: true)
        return loss + accuracy
    }

    /// One line chart; `unitRange` fixes the y axis to 0…1, labelled as percentages.
    static func chart(title: String, epochs: [Report.Epoch], series: [(String, [Double])], unitRange: Bool) -> String {
        let (width, height, left, bottom, top) = (320, 200, 44, 28, 20)
        let values = series.flatMap { $0.1 }.filter(\.isFinite)
        let low = unitRange ? 0 : min(0, values.min() ?? 0)
        var high = unitRange ? 1 : (values.max() ?? 1)
        if high <= low { high = low + 1 }
        let first = Double(epochs.first?.epoch ?? 0)
        let span = max(1, Double(epochs.last?.epoch ?? 1) - first)
        let plotWidth = Double(width - left - 10)
        let plotHeight = Double(height - bottom - top)
        func x(_ epoch: Int) -> String { format(Double(left) + (Double(epoch) - first) / span * plotWidth) }
        func y(_ value: Double) -> String { format(Double(top) + (1 - (value - low) / (high - low)) * plotHeight) }
        var out = [
            "<svg class=\"curves\" data-metric=\"\(title)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" "
                + "height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"10\">",
            "<text x=\"\(width / 2)\" y=\"12\" text-anchor=\"middle\" font-size=\"12\">\(title) per epoch</text>",
            "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 10)\" y2=\"\(height - bottom)\" stroke=\"#888\"/>",
            "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#888\"/>",
            "<text x=\"\(left - 4)\" y=\"\(top + 4)\" text-anchor=\"end\">\(unitRange ? "100 %" : format(high))</text>",
            "<text x=\"\(left - 4)\" y=\"\(height - bottom)\" text-anchor=\"end\">\(unitRange ? "0 %" : format(low))</text>",
            "<text x=\"\(left)\" y=\"\(height - 10)\">\(Int(first))</text>",
            "<text x=\"\(width - 10)\" y=\"\(height - 10)\" text-anchor=\"end\">epoch \(epochs.last?.epoch ?? 0)</text>",
        ]
        for (index, (name, ys)) in series.enumerated() {
            let colour = palette[index]
            let points = zip(epochs, ys).filter { $0.1.isFinite }.map { "\(x($0.0.epoch)),\(y($0.1))" }
            out.append(
                "<polyline class=\"curve\" data-series=\"\(name)\" fill=\"none\" stroke=\"\(colour)\" "
                    + "stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>")
            out.append(
                "<text x=\"\(width - 80)\" y=\"\(top + 12 + index * 12)\" fill=\"\(colour)\">\(name)</text>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n")
    }

    /// The confusion matrix heatmap, inline (no XML declaration).
    static func confusion(_ matrix: ConfusionMatrix, classes: [String]) -> String {
        matrix.svg(labelNames: classes).split(separator: "\n")
            .filter { !$0.hasPrefix("<?xml") }
            .joined(separator: "\n")
            .replacingOccurrences(of: "<svg xmlns", with: "<svg class=\"confusion\" xmlns")
    }

    /// A number with at most three decimals, without trailing zeros.
    static func format(_ value: Double) -> String {
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
