// The clip metrics (ClipMetrics.swift): hand-worked cases with the arithmetic in the comments,
// and the reference fixture computed by scikit-learn (scripts/fixtures/make-metrics-fixtures).

import Testing

@testable import SequenceModels

@Suite struct ClipMetricsTests {
    @Test func handWorkedThreeClasses() {
        // clip  probabilities     truth  argmax  top-2 (classes strictly above the truth)
        // 0     0.7 0.2 0.1       0      0 ✓     0 above → in
        // 1     0.1 0.6 0.3       1      1 ✓     0 above → in
        // 2     0.5 0.3 0.2       1      0 ✗     1 above (0.5) → in
        // 3     0.2 0.3 0.5       2      2 ✓     0 above → in
        // 4     0.3 0.4 0.3       2      1 ✗     1 above (0.4; class 0's equal 0.3 is not above) → in
        // accuracy 3/5 = 0.6, top-2 5/5 = 1. Confusion (rows truth): [1 0 0], [1 1 0], [0 1 1].
        // class 0: TP 1, predicted 2, support 1 → P 0.5, R 1, F1 2·1/(2 + 1 + 0) = 2/3
        // class 1: TP 1, predicted 2, support 2 → P 0.5, R 0.5, F1 2/(2 + 1 + 1) = 0.5
        // class 2: TP 1, predicted 1, support 2 → P 1, R 0.5, F1 2/(2 + 0 + 1) = 2/3
        // macro P (0.5 + 0.5 + 1)/3 = 2/3, macro R (1 + 0.5 + 0.5)/3 = 2/3, macro F1 (2/3 + 1/2 + 2/3)/3 = 11/18.
        let probabilities: [[Float]] = [
            [0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5], [0.3, 0.4, 0.3],
        ]
        let labels = [0, 1, 1, 2, 2]
        let m = ClipMetrics.compute(probabilities: probabilities, labels: labels, classCount: 3, topK: 2)
        #expect(m.count == 5 && m.topK == 2)
        #expect(m.accuracy == 0.6 && m.topKAccuracy == 1)
        #expect(m.confusion.rows == [[1, 0, 0], [1, 1, 0], [0, 1, 1]])
        let expected: [(Double, Double, Double, Int)] = [
            (0.5, 1, 2.0 / 3, 1), (0.5, 0.5, 0.5, 2), (1, 0.5, 2.0 / 3, 2),
        ]
        for (c, e) in expected.enumerated() {
            let s = m.perClass[c]
            let diff = max(abs(s.precision - e.0), abs(s.recall - e.1), abs(s.f1 - e.2))
            #expect(diff < 1e-12 && s.support == e.3, "class \(c): \(s), max |diff| \(diff)")
        }
        let macroDiff = max(
            abs(m.macroPrecision - 2.0 / 3), abs(m.macroRecall - 2.0 / 3), abs(m.macroF1 - 11.0 / 18))
        #expect(macroDiff < 1e-12, "macro max |diff| \(macroDiff)")
        let top1 = ClipMetrics.compute(probabilities: probabilities, labels: labels, classCount: 3, topK: 1)
        #expect(top1.topKAccuracy == 0.6)
    }

    @Test func classWithoutClipsCountsAsZeroInMacroAverages() {
        // Classes 0 and 1 perfect, class 2 never true nor predicted: P = R = F1 = 0 (0/0 → 0);
        // macro F1 = (1 + 1 + 0)/3 = 2/3. topK 5 is clamped to 3 classes.
        let m = ClipMetrics.compute(
            probabilities: [[0.9, 0.05, 0.05], [0.2, 0.7, 0.1]], labels: [0, 1], classCount: 3)
        #expect(m.topK == 3 && m.accuracy == 1 && m.topKAccuracy == 1)
        #expect(m.perClass[2] == ClassScores(precision: 0, recall: 0, f1: 0, support: 0))
        #expect(abs(m.macroF1 - 2.0 / 3) < 1e-12, "macro F1 \(m.macroF1)")
        let none = ClipMetrics.compute(probabilities: [], labels: [], classCount: 2)
        #expect(none.count == 0 && none.accuracy == 0 && none.macroF1 == 0)
    }

    @Test func matchesScikitLearn() throws {
        let fixture = try MetricsReferenceFixture.load()
        let tolerance = fixture.metadata.tolerance
        #expect(fixture.clip.count >= 2)
        for c in fixture.clip {
            let probabilities = c.probabilities.map { $0.map { Float($0) } }
            let e = c.expected
            var ours: [Double] = []
            var theirs: [Double] = []
            for (k, value) in e.topK.sorted(by: { $0.key < $1.key }) {
                let m = ClipMetrics.compute(
                    probabilities: probabilities, labels: c.labels, classCount: c.classCount, topK: Int(k)!)
                ours.append(m.topKAccuracy)
                theirs.append(value)
            }
            let m = ClipMetrics.compute(probabilities: probabilities, labels: c.labels, classCount: c.classCount)
            ours += [m.accuracy, m.macroPrecision, m.macroRecall, m.macroF1]
            theirs += [e.accuracy, e.macroPrecision, e.macroRecall, e.macroF1]
            ours += m.perClass.flatMap { [$0.precision, $0.recall, $0.f1] }
            theirs += zip(zip(e.precision, e.recall), e.f1).flatMap { [$0.0, $0.1, $1] }
            let (worst, firstBad) = maxAbsDiff(ours, theirs, tolerance: tolerance)
            print("ClipMetrics vs scikit-learn, case \(c.name): max |diff| \(worst)")
            #expect(firstBad == nil, "\(c.name): max |diff| \(worst), first mismatch at value \(firstBad ?? -1)")
            #expect(m.perClass.map(\.support) == e.support, "\(c.name): support")
            #expect(m.confusion.rows == e.confusion, "\(c.name): confusion matrix")
        }
    }
}
