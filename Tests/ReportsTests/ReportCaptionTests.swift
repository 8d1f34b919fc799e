// The report for a caption model: the evaluation file's caption scores (BLEU-4, ROUGE-L, CIDEr-D,
// event scores, the baseline's) become metrics; a video row shows the references and the
// predicted caption, and an attention model's weights as a words × frames heatmap; a caption
// prediction's details object is read as attention, never as a top-k list.
import Catalog
import Foundation
import Testing

@testable import Reports

struct ReportCaptionTests {
    @Test func captionScoresBecomeMetrics() {
        let metrics = Report.metrics([
            "bleu": [0.9, 0.8, 0.7, 0.6], "rouge_l": 0.75, "cider_d": 2.5, "exact_match": 0.85,
            "order_accuracy": 0.97, "baseline": ["bleu": [0.5, 0.4, 0.3, 0.2], "order_accuracy": 0.5],
        ])
        let named = Dictionary(metrics.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(named["BLEU-4"] == 0.6 && named["ROUGE-L"] == 0.75 && named["CIDEr-D"] == 2.5)
        #expect(named["exact match"] == 0.85 && named["order accuracy (pairs played backwards)"] == 0.97)
        #expect(named["mean-pool baseline BLEU-4"] == 0.2)
        #expect(named["mean-pool baseline order accuracy (pairs played backwards)"] == 0.5)
    }

    @Test func rowShowsReferencesCaptionAndAttention() {
        var row = Report.Video(path: "captions/000.mp4", split: "test", status: "done")
        Report.fill(
            &row,
            from: PredictionRecord(
                videoPath: "captions/000.mp4", videoSHA256: "ab", modelName: "m", label: "a red circle grows",
                probability: -1.25,
                topKJSON: #"{"attention":[[0.5,0.5],[0.9,0.1],[0.2,0.8],[0.1,0.9],[0.3,0.7]],"finished":true}"#,
                created: Date()))
        row.references = ["a red circle grows then shrinks", "a red <circle> shrinks after it grows"]
        #expect(row.top.isEmpty && row.attention.count == 5)
        let html = ReportHTML.row(row, classes: [])
        #expect(html.contains("a red circle grows then shrinks<br>a red &lt;circle&gt; shrinks after it grows"))
        #expect(html.contains("<svg class=\"attention\""))
        // Four words and the final <eos>, two frames each: ten cells, the <eos> row labelled.
        #expect(html.components(separatedBy: "<rect ").count - 1 == 10)
        #expect(html.contains(">&lt;eos&gt;</text>"))
    }
}
