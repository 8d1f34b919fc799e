import Datasets
// `SyntheticDataset`: the plan (counts, stratified splits shared by pair partners, segment
// lengths), the written layout and index files, segment annotations that cover the multi-segment
// clips' decoded frames exactly (read back with SequenceModels' CSV reader and frame-label rule),
// clips that decode to the requested frames and size, and byte-identical output for a seed.
import Foundation
import SequenceModels
import TestSupport
import Testing
import VideoDecoding

@testable import SyntheticData

struct SyntheticDatasetTests {
    // libx264 reports every file on stderr at FFmpeg's default level.
    init() { FFmpegLog.setLevel(.error) }

    static func settings(_ directory: String) -> SyntheticDatasetSettings {
        SyntheticDatasetSettings(directory: directory, perClass: 3, width: 32, height: 24, frames: 6, seed: 5, multi: 3)
    }

    static func temporaryDirectory() throws -> String { try TemporaryDirectory.make("synth") }

    static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func planSplitsEachClassSixtyTwentyTwentyAndPartnersShareScenesAndSplits() {
        let plan = SyntheticDatasetPlan(SyntheticDatasetSettings(directory: "d", perClass: 12, seed: 3, multi: 20))
        #expect(plan.clips.count == 12 * SyntheticActivity.allCases.count)
        for activity in SyntheticActivity.allCases {
            let clips = plan.clips.filter { $0.label == activity.name }
            let counts = DatasetSplit.allCases.map { split in clips.filter { $0.split == split }.count }
            #expect(counts == [8, 2, 2], "\(activity.name): train/val/test \(counts)")
            let partner = plan.clips.filter { $0.label == activity.partner.name }
            #expect(clips.map(\.split) == partner.map(\.split))
            #expect(clips.map(\.segments[0].sceneSeed) == partner.map(\.segments[0].sceneSeed))
            #expect(clips.map(\.path).first == "clips/\(activity.name)/\(activity.name)_000.mp4")
        }
        let seeds = Set(
            plan.clips.filter { !SyntheticActivity(rawValue: $0.label)!.isReversed }.map {
                $0.segments[0].sceneSeed
            })
        #expect(seeds.count == 12 * SyntheticActivity.pairs.count, "scene seeds repeat across clips")
        #expect(plan.multiClips.count == 20)
        for clip in plan.multiClips {
            #expect((2...4).contains(clip.segments.count), "\(clip.path): \(clip.segments.count) segments")
            #expect(clip.segments.allSatisfy { (8...24).contains($0.frames) })
            for (a, b) in zip(clip.segments, clip.segments.dropFirst()) { #expect(a.activity != b.activity) }
        }
        #expect(plan.multiClips.map(\.segments.count) != Array(repeating: plan.multiClips[0].segments.count, count: 20))
    }

    @Test func writesTheLayoutAndConsistentIndexFiles() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plan = SyntheticDatasetPlan(Self.settings(root))
        let summary = try SyntheticDataset.write(plan)
        #expect(summary.clips == 30 && summary.multiClips == 3 && summary.codec == "libx264")
        let classes = try Self.text(root + "/classInd.txt").split(separator: "\n")
        #expect(classes.first == "1 grow" && classes.count == 10 && classes.last == "10 move_left")
        let train = try Self.text(root + "/trainlist01.txt").split(separator: "\n")
        let test = try Self.text(root + "/testlist01.txt").split(separator: "\n")
        #expect(train.count + test.count == 30 && test.count == 10)
        #expect(train.first == "grow/grow_000.mp4 1" || train.first == "grow/grow_001.mp4 1")
        for line in train + test {
            let relative = String(line.split(separator: " ")[0])
            #expect(FileManager.default.fileExists(atPath: root + "/clips/" + relative), "missing \(relative)")
        }
        let manifest = try Self.text(root + "/manifest.csv").split(separator: "\n")
        #expect(manifest.first == "video,label,split" && manifest.count == 31)
        for row in manifest.dropFirst() {
            let fields = row.split(separator: ",").map(String.init)
            #expect(fields[0] == "clips/\(fields[1])/\(URL(fileURLWithPath: fields[0]).lastPathComponent)")
            #expect(DatasetSplit(rawValue: fields[2]) != nil)
            #expect(FileManager.default.fileExists(atPath: root + "/" + fields[0]))
        }
        let multi = try Self.text(root + "/segments_manifest.csv").split(separator: "\n")
        #expect(multi.count == 4 && multi[1].hasPrefix("segments/multi_000.mp4,multi,"))
        let readme = try Self.text(root + "/README.md")
        #expect(readme.contains("`rotate_ccw`") && readme.contains("--seed 5"))
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test func clipsDecodeToTheRequestedFramesAndSegmentsCoverEveryFrame() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plan = SyntheticDatasetPlan(Self.settings(root))
        try SyntheticDataset.write(plan)
        for clip in [plan.clips[0], plan.clips[4], plan.clips.last!] {
            let frames = try decodedFrames(root + "/" + clip.path)
            #expect(frames.count == 6, "\(clip.path): \(frames.count) frames")
            #expect(frames.allSatisfy { $0.width == 32 && $0.height == 24 })
        }
        let annotations = try SegmentAnnotationsCSV.load(path: root + "/segments.csv")
        #expect(annotations.count == plan.multiClips.count)
        let names = SyntheticActivity.allCases.map(\.name)
        for clip in plan.multiClips {
            let frames = try decodedFrames(root + "/" + clip.path)
            #expect(frames.count == clip.frameCount)
            let labels = try FrameLabels.assign(
                timestamps: frames.map(\.timestamp), frameIndices: frames.map(\.frameIndex),
                segments: annotations[clip.path] ?? [], labelNames: names)
            let expected = clip.segments.flatMap {
                Array(repeating: names.firstIndex(of: $0.activity.name)!, count: $0.frames)
            }
            #expect(labels == expected, "\(clip.path)")
        }
    }

    @Test func partnerClipsDecodeToTheSamePicturesInReverseOrder() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var settings = Self.settings(root)
        settings.multi = 0
        let plan = SyntheticDatasetPlan(settings)
        try SyntheticDataset.write(plan)
        for (forward, reversed) in SyntheticActivity.pairs {
            let path = { (activity: SyntheticActivity) in "\(root)/clips/\(activity.name)/\(activity.name)_001.mp4" }
            let ahead = try decodedFrames(path(forward)).map(\.pixels)
            let back = try decodedFrames(path(reversed)).map(\.pixels)
            #expect(ahead.count == 6 && back.count == 6)
            let same = Array(ahead.reversed()) == back
            #expect(same, "\(reversed.name)_001 is not \(forward.name)_001 decoded in reverse")
            let unchanged = ahead.first == ahead.last
            #expect(!unchanged, "\(forward.name)_001 starts and ends with the same picture")
        }
    }

    @Test func theSameSeedWritesIdenticalBytesWhateverTheJobs() throws {
        let (first, second) = (try Self.temporaryDirectory(), try Self.temporaryDirectory())
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        var settings = Self.settings(first)
        settings.multi = 2
        let plan = SyntheticDatasetPlan(settings)
        try SyntheticDataset.write(plan, jobs: 1)
        settings.directory = second
        // Parallel writing gives the same files.
        try SyntheticDataset.write(SyntheticDatasetPlan(settings), jobs: 3)
        let files = SyntheticDataset.indexFiles(plan).map(\.0) + (plan.clips + plan.multiClips).map(\.path)
        #expect(files.count == 7 + 32)
        for file in files {
            let a = try Data(contentsOf: URL(fileURLWithPath: first + "/" + file))
            let b = try Data(contentsOf: URL(fileURLWithPath: second + "/" + file))
            let same = !a.isEmpty && a == b
            #expect(same, "\(file): \(a.count) vs \(b.count) bytes")
        }
    }

    /// The demo's clips are all-intra, so keyframe snapping (issue 21) must change nothing: the
    /// same frames, byte for byte, in every sampling by time, the multi-segment clips included.
    @Test func keyframeSnappingChangesNothingOnTheseAllIntraClips() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plan = SyntheticDatasetPlan(Self.settings(root))
        try SyntheticDataset.write(plan)
        for path in [plan.clips[0].path, plan.clips[7].path, plan.multiClips[0].path] {
            for sampling in [Sampling.uniform(4), .fps(3), .segments(3)] {
                var exact = FrameRequest(sampling: sampling)
                let exactFrames = try decodedFrames(root + "/" + path, exact)
                exact.snap = .keyframe
                let snapped = try decodedFrames(root + "/" + path, exact)
                #expect(snapped.map(\.frameIndex) == exactFrames.map(\.frameIndex), "\(path) \(sampling)")
                #expect(snapped.map(\.pixels) == exactFrames.map(\.pixels), "\(path) \(sampling)")
            }
        }
    }

    func decodedFrames(_ path: String, _ request: FrameRequest = FrameRequest()) throws -> [RGBFrame] {
        let reader = try VideoReader(path: path).frames(request)
        var frames: [RGBFrame] = []
        while let frame = try reader.next() { frames.append(frame) }
        return frames
    }
}
