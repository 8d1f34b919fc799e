// BLEU-1…4, ROUGE-L and CIDEr-D against pycocoevalcap 1.2's own scorers, on the cases of
// Fixtures/caption_metrics_reference.json (scripts/fixtures/make-caption-metrics-fixtures: several
// references, clipped repeats, closest-length ties, empty and over-long hypotheses, one video,
// seeded random sets), corpus and per video.
import Foundation
import Testing

@testable import TextMetrics

struct MetricsCase: Decodable {
    var name: String
    var references: [String: [String]]
    var hypotheses: [String: [String]]
    var order: [String]
    var bleu: [Double]
    var bleuPerVideo: [[Double]]
    var rougeL: Double
    var rougeLPerVideo: [Double]
    var ciderD: Double
    var ciderDPerVideo: [Double]

    enum CodingKeys: String, CodingKey {
        case name, references, hypotheses, order, bleu
        case bleuPerVideo = "bleu_per_video"
        case rougeL = "rouge_l"
        case rougeLPerVideo = "rouge_l_per_video"
        case ciderD = "cider_d"
        case ciderDPerVideo = "cider_d_per_video"
    }

    var pairs: [CaptionPair] {
        order.map { video in
            CaptionPair(
                video: video, hypothesis: hypotheses[video]?.first ?? "", references: references[video] ?? [])
        }
    }
}

struct MetricsReference: Decodable {
    var tolerance: Double
    var cases: [MetricsCase]

    static func load() throws -> MetricsReference {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/caption_metrics_reference.json")
        return try JSONDecoder().decode(MetricsReference.self, from: Data(contentsOf: url))
    }
}

func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { abs(a - b) <= tolerance }

@Suite struct MetricsReferenceTests {
    @Test func fixtureCoversTheIssuesCases() throws {
        let reference = try MetricsReference.load()
        let names = Set(reference.cases.map(\.name))
        #expect(reference.cases.count >= 12, "\(names.sorted())")
        #expect(reference.cases.contains { $0.order.count == 1 })
        #expect(reference.cases.contains { $0.pairs.contains { $0.hypothesis.isEmpty } })
        #expect(reference.cases.contains { $0.pairs.contains { $0.hypothesis.split(separator: " ").count >= 50 } })
    }

    @Test func equalToPycocoevalcap() throws {
        let reference = try MetricsReference.load()
        let tolerance = reference.tolerance
        for test in reference.cases {
            let scores = CaptionScores(test.pairs)
            for k in 0..<4 {
                #expect(
                    close(scores.bleu[k], test.bleu[k], tolerance),
                    "\(test.name) BLEU-\(k + 1) \(scores.bleu[k]) vs \(test.bleu[k])")
            }
            #expect(
                close(scores.rougeL, test.rougeL, tolerance), "\(test.name) ROUGE-L \(scores.rougeL) vs \(test.rougeL)")
            #expect(
                close(scores.ciderD, test.ciderD, tolerance), "\(test.name) CIDEr-D \(scores.ciderD) vs \(test.ciderD)")
            for (index, video) in scores.perVideo.enumerated() {
                for k in 0..<4 {
                    #expect(
                        close(video.bleu[k], test.bleuPerVideo[index][k], tolerance),
                        "\(test.name) \(video.video) BLEU-\(k + 1) \(video.bleu[k]) vs \(test.bleuPerVideo[index][k])")
                }
                #expect(
                    close(video.rougeL, test.rougeLPerVideo[index], tolerance),
                    "\(test.name) \(video.video) ROUGE-L \(video.rougeL) vs \(test.rougeLPerVideo[index])")
                #expect(
                    close(video.ciderD, test.ciderDPerVideo[index], tolerance),
                    "\(test.name) \(video.video) CIDEr-D \(video.ciderD) vs \(test.ciderDPerVideo[index])")
            }
        }
    }
}
