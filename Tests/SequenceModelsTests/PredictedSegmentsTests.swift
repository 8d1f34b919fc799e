// Hand-worked cases of per-frame predictions → segments (PredictedSegments.swift), and the round
// trip annotations → frame labels → one-hot predictions → segments.

import Testing

@testable import SequenceModels

@Suite struct PredictedSegmentsTests {
    @Test func mergesRunsOfTheSameArgmax() {
        // argmax per frame: 0 (0.9), 0 (0.6), 1 (0.8), 0 (0.5 vs 0.5: tie → first class).
        let probabilities: [[Float]] = [[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.5, 0.5]]
        let segments = PredictedSegments.fromFrames(probabilities: probabilities, timestamps: [0, 1, 2, 3])
        #expect(segments.count == 3)
        guard segments.count == 3 else { return }
        // Segment 1: frames 0–1, [0, 2) (end = next segment's first timestamp), confidence (0.9 + 0.6) / 2.
        #expect(segments[0].start == 0 && segments[0].end == 2 && segments[0].label == 0)
        #expect(segments[0].firstFrame == 0 && segments[0].frameCount == 2)
        #expect(abs(segments[0].confidence - 0.75) < 1e-6, "confidence \(segments[0].confidence)")
        // Segment 2: frame 2, [2, 3), confidence 0.8.
        #expect(segments[1].start == 2 && segments[1].end == 3 && segments[1].label == 1)
        #expect(abs(segments[1].confidence - 0.8) < 1e-6, "confidence \(segments[1].confidence)")
        // Segment 3: frame 3, ends at 3 + median spacing (spacings 1, 1, 1 → 1) = 4.
        #expect(segments[2].start == 3 && segments[2].end == 4 && segments[2].label == 0)
        #expect(segments[2].firstFrame == 3 && segments[2].frameCount == 1)
        #expect(segments[2].confidence == 0.5)
    }

    @Test func lastSegmentUsesTheMedianSpacing() {
        // Timestamps 0, 1, 3, 4: spacings 1, 2, 1 → sorted 1, 1, 2 → median 1; one segment [0, 4 + 1).
        let odd = PredictedSegments.fromLabels([2, 2, 2, 2], timestamps: [0, 1, 3, 4])
        #expect(odd == [PredictedSegment(start: 0, end: 5, label: 2, confidence: 0, firstFrame: 0, frameCount: 4)])
        // Spacings 1, 2, 1, 6 → sorted 1, 1, 2, 6 → median (1 + 2) / 2 = 1.5.
        #expect(PredictedSegments.medianSpacing([0, 1, 3, 4, 10]) == 1.5)
        // One frame: spacing 0, so the segment is [5, 5).
        let single = PredictedSegments.fromFrames(probabilities: [[0.3, 0.7]], timestamps: [5])
        #expect(single.count == 1 && single.first?.start == 5 && single.first?.end == 5 && single.first?.label == 1)
        #expect(PredictedSegments.fromFrames(probabilities: [], timestamps: []).isEmpty)
    }

    @Test func annotationsSurviveTheRoundTrip() throws {
        // 50 frames at 25 fps; annotations that tile the video and start on frame timestamps.
        let timestamps = (0..<50).map { Double($0) * 0.04 }
        let names = ["a", "b", "c"]
        let last = timestamps[49] + PredictedSegments.medianSpacing(timestamps)
        let truth = [
            SegmentAnnotation(start: timestamps[0], end: timestamps[10], label: "a"),
            SegmentAnnotation(start: timestamps[10], end: timestamps[25], label: "b"),
            SegmentAnnotation(start: timestamps[25], end: timestamps[40], label: "a"),
            SegmentAnnotation(start: timestamps[40], end: last, label: "c"),
        ]
        let labels = try FrameLabels.assign(
            timestamps: timestamps, frameIndices: Array(0..<50), segments: truth, labelNames: names)
        #expect(!labels.contains(-1), "the segments tile the video")
        // Probability 0.6 on the label, 0.2 on the others.
        let probabilities = labels.map { label in (0..<3).map { $0 == label ? Float(0.6) : Float(0.2) } }
        let predicted = PredictedSegments.fromFrames(probabilities: probabilities, timestamps: timestamps)
        let back = predicted.map { $0.annotation(labelNames: names) }
        #expect(back == truth)
        #expect(predicted.map(\.frameCount) == [10, 15, 15, 10])
        #expect(predicted.allSatisfy { abs($0.confidence - 0.6) < 1e-6 })
    }
}
