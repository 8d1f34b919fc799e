// The MS-TCN frame metrics (FrameMetrics.swift): hand-worked cases with the arithmetic in the
// comments, vidact's ignore-label and empty-input rules, and the reference fixture computed by a
// port of MS-TCN's eval.py (scripts/fixtures/make-metrics-fixtures).

import Testing

@testable import SequenceModels

@Suite struct FrameMetricsTests {
    @Test func segmentsAreRunsWithoutBackground() {
        let labels = [0, 0, 1, 1, 1, 0, 2, 2]
        #expect(
            FrameMetrics.segments(labels, background: []) == [
                FrameSegment(label: 0, start: 0, end: 2), FrameSegment(label: 1, start: 2, end: 5),
                FrameSegment(label: 0, start: 5, end: 6), FrameSegment(label: 2, start: 6, end: 8),
            ])
        #expect(
            FrameMetrics.segments(labels, background: [0]) == [
                FrameSegment(label: 1, start: 2, end: 5), FrameSegment(label: 2, start: 6, end: 8),
            ])
        #expect(FrameMetrics.segments([], background: []).isEmpty)
    }

    @Test func levenshteinAndEditScore() {
        // kitten → sitting: substitute k→s, e→i, insert g = 3 (k1 i2 t3 e4 n5 s6 g7).
        let kitten = [1, 2, 3, 3, 4, 5]
        let sitting = [6, 2, 3, 3, 2, 5, 7]
        #expect(FrameMetrics.levenshtein(kitten, sitting) == 3)
        #expect(FrameMetrics.levenshtein(sitting, kitten) == 3)
        #expect(FrameMetrics.levenshtein([], [1, 2]) == 2)
        #expect(FrameMetrics.levenshtein([1, 2], []) == 2)
        // Normalised: (1 − 3/7) · 100 = 57.142857…
        let edit = FrameMetrics.editScore(kitten, sitting)
        #expect(abs(edit - 400.0 / 7.0) < 1e-12, "edit \(edit), |diff| \(abs(edit - 400.0 / 7.0))")
        #expect(FrameMetrics.editScore([], []) == 100)
        #expect(FrameMetrics.editScore([1], []) == 0)
    }

    @Test func boundaryShiftAcrossThresholds() {
        // truth A A A A B B B B B B → A[0,4) B[4,10); predicted A A B B B B B B B B → A[0,2) B[2,10).
        // IoU(A) = (2 − 0) / (4 − 0) = 0.5; IoU(B) = (10 − 4) / (10 − 2) = 0.75.
        // τ 0.1, 0.5: both TP → F1 100. τ 0.75: A FP, B TP, truth A FN → P = R = 0.5 → F1 50.
        // τ 0.8: TP 0, FP 2, FN 2 → F1 0 (0/0 → 0). Accuracy: 8 of 10 frames = 80. Edit: [A,B] vs [A,B] = 100.
        let m = FrameMetrics.compute(
            predicted: [[0, 0, 1, 1, 1, 1, 1, 1, 1, 1]], truth: [[0, 0, 0, 0, 1, 1, 1, 1, 1, 1]],
            overlaps: [0.1, 0.5, 0.75, 0.8])
        #expect(m.videoCount == 1 && m.frameCount == 10)
        #expect(m.accuracy == 80)
        #expect(m.edit == 100)
        #expect(m.f1.map(\.f1) == [100, 100, 50, 0])
        #expect(m.f1[2].truePositives == 1 && m.f1[2].falsePositives == 1 && m.f1[2].falseNegatives == 1)
        #expect(m.f1[3].truePositives == 0 && m.f1[3].falsePositives == 2 && m.f1[3].falseNegatives == 2)
        #expect(m.f1[2].precision == 50 && m.f1[2].recall == 50)
    }

    @Test func aTrueSegmentIsMatchedOnce() {
        // truth A×6 → A[0,6); predicted A A A B A A → A[0,3), B[3,4), A[4,6).
        // τ 0.1: A[0,3) IoU 3/6 = 0.5 → TP (hit); B: label differs → IoU 0 → FP; A[4,6) IoU 2/6 but
        // already hit → FP. TP 1, FP 2, FN 0: P = 1/3, R = 1, F1 = 2·(1/3)/(4/3) = 0.5 → 50.
        // Edit: [A,B,A] vs [A]: distance 2, max 3 → (1 − 2/3)·100 = 33.3…; accuracy 5/6.
        let m = FrameMetrics.compute(predicted: [[0, 0, 0, 1, 0, 0]], truth: [[0, 0, 0, 0, 0, 0]], overlaps: [0.1])
        #expect(m.f1[0].truePositives == 1 && m.f1[0].falsePositives == 2 && m.f1[0].falseNegatives == 0)
        #expect(abs(m.f1[0].f1 - 50) < 1e-12, "F1 \(m.f1[0].f1)")
        #expect(abs(m.edit - 100.0 / 3.0) < 1e-12, "edit \(m.edit)")
        #expect(abs(m.accuracy - 500.0 / 6.0) < 1e-12, "accuracy \(m.accuracy)")
    }

    @Test func videosAggregateLikeMSTCN() {
        // The two videos above together: accuracy (8 + 5) / (10 + 6) = 81.25; edit is the mean of
        // the per-video scores (100 + 33.3…) / 2; F1@0.1 sums counts: TP 2 + 1 = 3, FP 0 + 2 = 2,
        // FN 0 → P = 0.6, R = 1, F1 = 2·0.6/1.6 = 0.75 → 75.
        let m = FrameMetrics.compute(
            predicted: [[0, 0, 1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 1, 0, 0]],
            truth: [[0, 0, 0, 0, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]], overlaps: [0.1])
        #expect(m.accuracy == 81.25)
        #expect(abs(m.edit - (100 + 100.0 / 3.0) / 2) < 1e-12, "edit \(m.edit)")
        #expect(abs(m.f1[0].f1 - 75) < 1e-12, "F1 \(m.f1[0].f1)")
    }

    @Test func backgroundRunsAreNotSegmentsButCountInAccuracy() {
        // background 0. truth 0 0 1 1 0 0 2 2 → 1[2,4), 2[6,8); predicted 0 1 1 1 0 0 2 0 → 1[1,4), 2[6,7).
        // IoU 2/3 and 1/2: F1@0.5 = 100 (TP 2), F1@0.75 = 0 (FP 2, FN 2). Accuracy: frames 1 and 7
        // wrong → 6/8 = 75. Edit [1,2] vs [1,2] = 100.
        let m = FrameMetrics.compute(
            predicted: [[0, 1, 1, 1, 0, 0, 2, 0]], truth: [[0, 0, 1, 1, 0, 0, 2, 2]], overlaps: [0.5, 0.75],
            background: [0])
        #expect(m.accuracy == 75 && m.edit == 100)
        #expect(m.f1.map(\.f1) == [100, 0])
    }

    @Test func ignoredFramesAreMaskedInBothSequences() {
        // truth −1 −1 1 1 1 −1 1 1, predicted 2 2 1 1 1 1 1 1. The prediction is set to −1 where the
        // truth is −1 → −1 −1 1 1 1 −1 1 1: same segments 1[2,5), 1[6,8) → edit 100, F1 100.
        // Accuracy over the 5 annotated frames (2, 3, 4, 6, 7): 5/5. The second video has no
        // annotated frame and is skipped: 1 video, 5 frames.
        let m = FrameMetrics.compute(
            predicted: [[2, 2, 1, 1, 1, 1, 1, 1], [0, 1]], truth: [[-1, -1, 1, 1, 1, -1, 1, 1], [-1, -1]])
        #expect(m.videoCount == 1 && m.frameCount == 5)
        #expect(m.accuracy == 100 && m.edit == 100)
        #expect(m.f1.map(\.f1) == [100, 100, 100])
        #expect(m.f1[0].truePositives == 2)
    }

    @Test func emptyCasesFollowVidactsRules() {
        // Truth all background (0), predicted 0 1 1 → one predicted segment, no true one: FP 1,
        // F1 0; edit (1 − 1/1)·100 = 0. MS-TCN itself fails here (argmax of an empty array).
        let fp = FrameMetrics.compute(predicted: [[0, 1, 1]], truth: [[0, 0, 0]], overlaps: [0.1], background: [0])
        #expect(fp.f1[0].falsePositives == 1 && fp.f1[0].f1 == 0 && fp.edit == 0)
        // Neither has a segment: edit 100 (MS-TCN: NaN), F1 0 (0/0).
        let none = FrameMetrics.compute(predicted: [[0, 0]], truth: [[0, 0]], overlaps: [0.1], background: [0])
        #expect(none.edit == 100 && none.f1[0].f1 == 0 && none.accuracy == 100)
        // No annotated frame at all: nothing evaluated, all 0.
        let empty = FrameMetrics.compute(predicted: [[1]], truth: [[-1]])
        #expect(empty.videoCount == 0 && empty.frameCount == 0 && empty.accuracy == 0 && empty.edit == 0)
    }

    @Test func matchesTheMSTCNReference() throws {
        let fixture = try MetricsReferenceFixture.load()
        let tolerance = fixture.metadata.tolerance
        #expect(fixture.frames.count >= 3)
        for c in fixture.frames {
            let m = FrameMetrics.compute(
                predicted: c.predicted, truth: c.truth, ignore: c.ignore, overlaps: c.overlaps,
                background: c.background)
            let e = c.expected
            #expect(m.videoCount == e.videoCount && m.frameCount == e.frameCount, "\(c.name): counts")
            #expect(m.f1.map(\.truePositives) == e.f1.map(\.tp), "\(c.name): TP")
            #expect(m.f1.map(\.falsePositives) == e.f1.map(\.fp), "\(c.name): FP")
            #expect(m.f1.map(\.falseNegatives) == e.f1.map(\.fn), "\(c.name): FN")
            let ours = [m.accuracy, m.edit] + m.f1.flatMap { [$0.precision, $0.recall, $0.f1] }
            let theirs = [e.accuracy, e.edit] + e.f1.flatMap { [$0.precision, $0.recall, $0.f1] }
            let (worst, firstBad) = maxAbsDiff(ours, theirs, tolerance: tolerance)
            print("FrameMetrics vs MS-TCN reference, case \(c.name): max |diff| \(worst)")
            #expect(firstBad == nil, "\(c.name): max |diff| \(worst), first mismatch at value \(firstBad ?? -1)")
        }
    }
}
