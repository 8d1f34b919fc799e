// Loader of Fixtures/metrics_reference.json, written by scripts/fixtures/make-metrics-fixtures:
// inputs and reference values of the frames metrics (a port of MS-TCN's eval.py) and of the clip
// metrics (scikit-learn). The metadata names the generator, seed and tolerance.

import Foundation

struct MetricsReferenceFixture: Decodable {
    struct Metadata: Decodable {
        var generator: String
        var seed: Int
        var tolerance: Double
    }

    struct OverlapExpected: Decodable {
        var overlap: Double
        var tp: Int
        var fp: Int
        var fn: Int
        var precision: Double
        var recall: Double
        var f1: Double
    }

    struct FramesExpected: Decodable {
        var videoCount: Int
        var frameCount: Int
        var accuracy: Double
        var edit: Double
        var f1: [OverlapExpected]
    }

    struct FramesCase: Decodable {
        var name: String
        var ignore: Int
        var background: [Int]
        var overlaps: [Double]
        var predicted: [[Int]]
        var truth: [[Int]]
        var expected: FramesExpected
    }

    struct ClipExpected: Decodable {
        var accuracy: Double
        var topK: [String: Double]
        var precision: [Double]
        var recall: [Double]
        var f1: [Double]
        var support: [Int]
        var macroPrecision: Double
        var macroRecall: Double
        var macroF1: Double
        var confusion: [[Int]]
    }

    struct ClipCase: Decodable {
        var name: String
        var classCount: Int
        var probabilities: [[Double]]
        var labels: [Int]
        var expected: ClipExpected
    }

    var metadata: Metadata
    var frames: [FramesCase]
    var clip: [ClipCase]

    static func load(filePath: String = #filePath) throws -> MetricsReferenceFixture {
        let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/metrics_reference.json")
        return try JSONDecoder().decode(MetricsReferenceFixture.self, from: Data(contentsOf: url))
    }
}

/// Largest |a − b| over paired values, and the first index where it exceeds `tolerance`.
func maxAbsDiff(_ a: [Double], _ b: [Double], tolerance: Double) -> (max: Double, firstBad: Int?) {
    precondition(a.count == b.count, "maxAbsDiff: \(a.count) vs \(b.count) values")
    var worst = 0.0
    var firstBad: Int? = nil
    for i in a.indices {
        let d = abs(a[i] - b[i])
        if !(d <= tolerance) && firstBad == nil { firstBad = i }
        worst = max(worst, d.isNaN ? .infinity : d)
    }
    return (worst, firstBad)
}
