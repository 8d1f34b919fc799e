// One video's features under one extractor spec, in memory: the T×D volume, each row's time and
// decode-order index, and the facts stored with it.
//
// Shapes: T sampled frames, D feature width, D_m motion width. features [T, D]; timestamps [T];
// frameIndices [T]; motion [T, D_m] when the spec asks for motion descriptors.
import TensorCore

/// Facts about a volume, stored in the feature file's `__metadata__`.
public struct FeatureVolumeInfo: Sendable, Equatable {
    /// The video as it was given to the extractor.
    public var sourcePath: String
    public var videoSHA256: String
    public var spec: ExtractorSpec
    /// Frames in the video as counted while decoding (or by the demuxer for sparse sampling); nil
    /// when not known.
    public var decodedFrames: Int?
    /// The container header's frame count, when it gives one.
    public var headerFrames: Int?
    /// The vidact version that wrote the file.
    public var toolVersion: String
    /// ISO 8601 UTC.
    public var created: String

    public init(
        sourcePath: String, videoSHA256: String, spec: ExtractorSpec, decodedFrames: Int?, headerFrames: Int?,
        toolVersion: String, created: String
    ) {
        self.sourcePath = sourcePath
        self.videoSHA256 = videoSHA256
        self.spec = spec
        self.decodedFrames = decodedFrames
        self.headerFrames = headerFrames
        self.toolVersion = toolVersion
        self.created = created
    }
}

/// A feature volume: what one feature file holds.
public struct FeatureVolume: Sendable {
    /// [T, D], one row per sampled frame.
    public var features: Tensor
    /// Seconds since the video's first decoded frame, one per row.
    public var timestamps: [Double]
    /// Decode-order index of each row's frame.
    public var frameIndices: [Int64]
    /// [T, D_m] motion descriptors at the same frames, when the spec has `motion`.
    public var motion: Tensor?
    public var info: FeatureVolumeInfo

    public init(
        features: Tensor, timestamps: [Double], frameIndices: [Int64], motion: Tensor? = nil, info: FeatureVolumeInfo
    ) {
        precondition(
            features.rank == 2 && features.shape[0] == timestamps.count && timestamps.count == frameIndices.count,
            "FeatureVolume: features \(features.shape), \(timestamps.count) timestamps, "
                + "\(frameIndices.count) frame indices")
        precondition(
            motion.map { $0.rank == 2 && $0.shape[0] == features.shape[0] } ?? true,
            "FeatureVolume: motion \(motion?.shape ?? []) for \(features.shape[0]) frames")
        self.features = features
        self.timestamps = timestamps
        self.frameIndices = frameIndices
        self.motion = motion
        self.info = info
    }

    public var frameCount: Int { features.shape[0] }
    public var width: Int { features.shape[1] }
}
