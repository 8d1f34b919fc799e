// Hand-worked cases of the segment → frame mapping rule in FrameLabels.swift: half-open segments
// in seconds and in frame indices, gaps (ignore label), overlaps, unknown labels.

import Testing

@testable import SequenceModels

@Suite struct FrameLabelsTests {
    // Frames every 0.5 s: t = 0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0.
    let timestamps = [0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
    var frameIndices: [Int] { Array(0..<timestamps.count) }
    let names = ["walk", "run", "jump"]

    func assign(_ segments: [SegmentAnnotation]) throws -> [Int] {
        try FrameLabels.assign(
            timestamps: timestamps, frameIndices: frameIndices, segments: segments, labelNames: names)
    }

    @Test func boundariesAreHalfOpen() throws {
        // walk [0.5, 1.5): t = 0.5, 1.0. run [1.5, 2.5): t = 1.5 (start included), 2.0; t = 2.5 is
        // the end of run (excluded) and in no other segment → -1. t = 0 is before everything → -1.
        let labels = try assign([
            SegmentAnnotation(start: 0.5, end: 1.5, label: "walk"),
            SegmentAnnotation(start: 1.5, end: 2.5, label: "run"),
        ])
        #expect(labels == [-1, 0, 0, 1, 1, -1, -1])
    }

    @Test func gapsGetTheIgnoreLabel() throws {
        // walk [0, 1) → t = 0, 0.5; gap 1.0, 1.5; jump [2, 3) → 2.0, 2.5; 3.0 after the end.
        let labels = try assign([
            SegmentAnnotation(start: 0, end: 1, label: "walk"),
            SegmentAnnotation(start: 2, end: 3, label: "jump"),
        ])
        #expect(labels == [0, 0, -1, -1, 2, 2, -1])
        let custom = try FrameLabels.assign(
            timestamps: timestamps, frameIndices: frameIndices,
            segments: [SegmentAnnotation(start: 2, end: 3, label: "jump")], labelNames: names, ignore: -100)
        #expect(custom == [-100, -100, -100, -100, 2, 2, -100])
    }

    @Test func nestedSegmentWins() throws {
        // walk [0, 3) contains run [1, 2): the later start wins on 1.0 and 1.5.
        let labels = try assign([
            SegmentAnnotation(start: 0, end: 3, label: "walk"),
            SegmentAnnotation(start: 1, end: 2, label: "run"),
        ])
        #expect(labels == [0, 0, 1, 1, 0, 0, -1])
        // Same segments listed the other way round: the rule does not depend on file order here.
        let swapped = try assign([
            SegmentAnnotation(start: 1, end: 2, label: "run"),
            SegmentAnnotation(start: 0, end: 3, label: "walk"),
        ])
        #expect(swapped == labels)
    }

    @Test func overlappingNeighboursAndEqualStarts() throws {
        // walk [0, 2) and run [1.5, 3) overlap on 1.5: run started later → 1.5 is run.
        let neighbours = try assign([
            SegmentAnnotation(start: 0, end: 2, label: "walk"),
            SegmentAnnotation(start: 1.5, end: 3, label: "run"),
        ])
        #expect(neighbours == [0, 0, 0, 1, 1, 1, -1])
        // walk [0, 2) and jump [0, 1) start together: the one listed later (jump) wins on 0, 0.5.
        let equalStarts = try assign([
            SegmentAnnotation(start: 0, end: 2, label: "walk"),
            SegmentAnnotation(start: 0, end: 1, label: "jump"),
        ])
        #expect(equalStarts == [2, 2, 0, 0, -1, -1, -1])
    }

    @Test func frameIndexSegmentsUseDecodeIndices() throws {
        // Every third decoded frame was sampled: decode indices 0, 3, 6, 9, 12, 15. The timestamps
        // are deliberately unrelated (100 s on) so a seconds-based match would give all -1.
        let indices = [0, 3, 6, 9, 12, 15]
        let times = [100.0, 100.1, 100.2, 100.3, 100.4, 100.5]
        let segments = [
            SegmentAnnotation(start: 0, end: 6, label: "run", unit: .frames),  // 0, 3
            SegmentAnnotation(start: 6, end: 12, label: "jump", unit: .frames),  // 6, 9; 12 excluded
        ]
        let labels = try FrameLabels.assign(
            timestamps: times, frameIndices: indices, segments: segments, labelNames: names)
        #expect(labels == [1, 1, 2, 2, -1, -1])
        // A seconds segment in the same list is matched against the timestamps: [100.4, 101) → 12, 15.
        let mixed = try FrameLabels.assign(
            timestamps: times, frameIndices: indices,
            segments: segments + [SegmentAnnotation(start: 100.4, end: 101, label: "walk")], labelNames: names)
        #expect(mixed == [1, 1, 2, 2, 0, 0])
    }

    @Test func unknownLabelThrowsNamingIt() {
        #expect {
            _ = try assign([
                SegmentAnnotation(start: 0, end: 1, label: "walk"),
                SegmentAnnotation(start: 1, end: 2, label: "swim"),
            ])
        } throws: { error in
            guard let error = error as? FrameLabelsError else { return false }
            return error.label == "swim" && error.description.contains("\"swim\"")
        }
    }

    @Test func emptyInputs() throws {
        let none = try FrameLabels.assign(timestamps: [], frameIndices: [], segments: [], labelNames: names)
        #expect(none.isEmpty)
        #expect(try assign([]) == [-1, -1, -1, -1, -1, -1, -1])
    }
}
