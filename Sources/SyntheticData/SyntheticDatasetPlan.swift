// What `vidact dataset synth` will write, computed without rendering anything: every clip's path,
// label, split, and segments (activity, frame count, scene seed). Pure and deterministic for a
// seed. Clip i of a class and clip i of its pair partner share their scene seed and split, so the
// two files hold exactly the same frames in opposite orders and land in the same split.

import TensorCore

/// Options of a synthetic dataset.
public struct SyntheticDatasetSettings: Sendable, Equatable {
    /// Output folder.
    public var directory: String
    /// Clips per class.
    public var perClass: Int
    public var width: Int
    public var height: Int
    /// Frames per single-activity clip.
    public var frames: Int
    public var fps: Int
    public var seed: UInt64
    /// Number of multi-segment clips.
    public var multi: Int
    /// Shortest segment of a multi-segment clip, in frames.
    public var minSegmentFrames: Int

    public init(
        directory: String, perClass: Int = 12, width: Int = 160, height: Int = 120, frames: Int = 24, fps: Int = 10,
        seed: UInt64 = 0, multi: Int = 20, minSegmentFrames: Int = 8
    ) {
        self.directory = directory
        self.perClass = perClass
        self.width = width
        self.height = height
        self.frames = frames
        self.fps = fps
        self.seed = seed
        self.multi = multi
        self.minSegmentFrames = minSegmentFrames
    }
}

/// The split a clip belongs to.
public enum DatasetSplit: String, Sendable, CaseIterable {
    case train, val, test
}

/// One activity of a planned clip.
public struct PlannedSegment: Sendable, Equatable {
    public var activity: SyntheticActivity
    public var frames: Int
    /// Seed of the segment's `SyntheticScene`.
    public var sceneSeed: UInt64
}

/// One planned video file.
public struct PlannedClip: Sendable, Equatable {
    /// Path relative to the dataset folder, e.g. `clips/grow/grow_000.mp4`.
    public var path: String
    /// The class name, or `multi` for a multi-segment clip.
    public var label: String
    public var split: DatasetSplit
    public var segments: [PlannedSegment]

    public var frameCount: Int { segments.reduce(0) { $0 + $1.frames } }
}

/// Every clip of a synthetic dataset.
public struct SyntheticDatasetPlan: Sendable, Equatable {
    public var settings: SyntheticDatasetSettings
    /// Single-activity clips, class by class in class order, then by index.
    public var clips: [PlannedClip]
    /// Multi-segment clips, by index.
    public var multiClips: [PlannedClip]

    public init(_ settings: SyntheticDatasetSettings) {
        self.settings = settings
        clips = []
        for activity in SyntheticActivity.allCases {
            let stream = UInt64(activity.pairIndex)
            let splits = Self.splits(count: settings.perClass, seed: Self.derive(settings.seed, 1000 + stream, 0))
            for index in 0..<settings.perClass {
                let seed = Self.derive(settings.seed, stream, UInt64(index))
                let name = "\(activity.name)_\(Self.number(index)).mp4"
                clips.append(
                    PlannedClip(
                        path: "clips/\(activity.name)/\(name)", label: activity.name, split: splits[index],
                        segments: [PlannedSegment(activity: activity, frames: settings.frames, sceneSeed: seed)]))
            }
        }
        let splits = Self.splits(count: settings.multi, seed: Self.derive(settings.seed, 2000, 0))
        multiClips = (0..<settings.multi).map { index in
            var rng = SeededRNG(seed: Self.derive(settings.seed, 3000, UInt64(index)))
            return PlannedClip(
                path: "segments/multi_\(Self.number(index)).mp4", label: "multi", split: splits[index],
                segments: Self.segments(settings, rng: &rng))
        }
    }

    /// Two to four activities back to back, neighbours different, each `minSegmentFrames` to
    /// `max(minSegmentFrames, frames)` frames long.
    static func segments(_ settings: SyntheticDatasetSettings, rng: inout SeededRNG) -> [PlannedSegment] {
        let count = 2 + Int(rng.next() % 3)
        let classes = SyntheticActivity.allCases
        let longest = max(settings.minSegmentFrames, settings.frames)
        var segments: [PlannedSegment] = []
        for _ in 0..<count {
            var activity = classes[Int(rng.next() % UInt64(classes.count))]
            while activity == segments.last?.activity { activity = classes[Int(rng.next() % UInt64(classes.count))] }
            let frames = settings.minSegmentFrames + Int(rng.next() % UInt64(longest - settings.minSegmentFrames + 1))
            segments.append(PlannedSegment(activity: activity, frames: frames, sceneSeed: rng.next()))
        }
        return segments
    }

    /// A 60/20/20 train/val/test assignment of `count` items in a seeded random order; each of val
    /// and test gets round(20 %) of the items.
    static func splits(count: Int, seed: UInt64) -> [DatasetSplit] {
        var rng = SeededRNG(seed: seed)
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        let held = Int((Double(count) * 0.2).rounded())
        var splits = [DatasetSplit](repeating: .train, count: count)
        for (rank, item) in order.enumerated() {
            if rank < held {
                splits[item] = .test
            } else if rank < 2 * held {
                splits[item] = .val
            }
        }
        return splits
    }

    /// An independent seed for item `index` of stream `stream` (SplitMix64 of a mixed key).
    static func derive(_ seed: UInt64, _ stream: UInt64, _ index: UInt64) -> UInt64 {
        var rng = SeededRNG(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ (index &* 0xD1B5_4A32_D192_ED03))
        _ = rng.next()
        return rng.next()
    }

    static func number(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}
