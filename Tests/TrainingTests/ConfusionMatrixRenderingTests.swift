// The confusion matrix for people: the text table and the SVG heatmap (well-formed XML parsed back
// with Foundation's XMLParser, one cell per pair, class names escaped, colours by row fraction).

import Foundation
import SequenceModels
import Testing

@testable import Training

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct ConfusionMatrixRenderingTests {
    // Rows truth, columns predicted: walk [1 0 0], run [1 1 0], jump [0 1 1] (the hand case of
    // ClipMetricsTests).
    let matrix = ConfusionMatrix(truth: [0, 1, 1, 2, 2], predicted: [0, 1, 0, 2, 1], classCount: 3)

    @Test func textTable() {
        let expected = """
            truth \\ predicted  walk  run  jump
            walk                  1    0     0
            run                   1    1     0
            jump                  0    1     1

            """
        #expect(matrix.text(labelNames: ["walk", "run", "jump"]) == expected)
    }

    @Test func svgIsWellFormedWithNamesAndColours() throws {
        let names = ["walk", "run", "a<b & \"c\""]
        let svg = matrix.svg(labelNames: names)
        let collector = SVGCollector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        #expect(parser.parse(), "SVG does not parse: \(String(describing: parser.parserError))")
        #expect(collector.root == "svg" && collector.namespace == "http://www.w3.org/2000/svg")
        #expect(collector.cellFills.count == 9, "\(collector.cellFills.count) cells")
        #expect(collector.texts["row-label"] == names)
        #expect(collector.texts["column-label"] == names)
        // Row walk [1 0 0]: fractions 1, 0, 0; row run [1 1 0]: 0.5 → 255 + (8 − 255)·0.5 = 131.5 → 132
        // (0x84), 255 + (48 − 255)·0.5 = 151.5 → 152 (0x98), 255 + (107 − 255)·0.5 = 181 (0xb5).
        #expect(Array(collector.cellFills.prefix(4)) == ["#08306b", "#ffffff", "#ffffff", "#8498b5"])
        #expect(svg.contains("a&lt;b &amp; &quot;c&quot;"))
    }
}

/// Collects what the SVG test checks: root element, cell fills in order, texts by class.
final class SVGCollector: NSObject, XMLParserDelegate {
    var root: String?
    var namespace: String?
    var cellFills: [String] = []
    var texts: [String: [String]] = [:]
    private var textClass: String?
    private var text = ""

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        if root == nil {
            root = name
            namespace = attributes["xmlns"]
        }
        if name == "rect" && attributes["class"] == "cell" { cellFills.append(attributes["fill"] ?? "") }
        if name == "text" {
            textClass = attributes["class"]
            text = ""
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let c = textClass {
            texts[c, default: []].append(text)
            textClass = nil
        }
    }
}
