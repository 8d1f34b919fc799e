// What `vidact features extract` (and later the pipeline's extract step) is asked to do: which
// frames, at which size, through which CNN, stored how; and how hard to work (batch, jobs).
import FeatureStore
import Foundation
import VideoDecoding

/// The CNN's arithmetic for an extraction: f32, or int8 with the scales of a calibration file
/// (`Int8Calibration`; `identity` is its checksum, which goes into the extractor key).
public enum CNNPrecision: Sendable, Equatable {
    case f32
    case int8(calibration: String, identity: String)

    /// The extractor spec's `precision`: nil for f32.
    public var specValue: String? {
        switch self {
        case .f32: nil
        case .int8(_, let identity): "int8:\(identity)"
        }
    }
}

/// Settings of one extraction run.
public struct ExtractionSettings: Sendable {
    public var request: FrameRequest
    public var decode: DecodeOptions
    public var pooling: FeaturePooling
    public var dtype: FeatureDType
    /// Frames per CNN call; a batch may hold frames of several videos.
    public var batch: Int
    /// Videos decoded at the same time.
    public var jobs: Int
    /// Recorded in every file's metadata.
    public var toolVersion: String
    public var precision: CNNPrecision
    /// Whether volumes also hold motion descriptors (`MotionDescriptor`); the frame request then
    /// also asks for each sample's reference frame.
    public var motion: Bool { request.motionReferences }

    public init(
        request: FrameRequest, decode: DecodeOptions, pooling: FeaturePooling = .avg, dtype: FeatureDType = .f16,
        batch: Int = 16, jobs: Int = 2, toolVersion: String, precision: CNNPrecision = .f32
    ) {
        self.precision = precision
        precondition(batch > 0 && jobs > 0, "ExtractionSettings: batch \(batch), jobs \(jobs)")
        self.request = request
        self.decode = decode
        self.pooling = pooling
        self.dtype = dtype
        self.batch = batch
        self.jobs = jobs
        self.toolVersion = toolVersion
    }

    /// The extractor spec of these settings with `embedder` and weights of `weightsSHA256`.
    public func spec(embedder: FrameEmbedder, weightsSHA256: String) -> ExtractorSpec {
        spec(backbone: embedder.backboneName, normalization: embedder.normalizationName, weightsSHA256: weightsSHA256)
    }

    /// The one place a spec is built from settings: `vidact run` plans with it before loading the
    /// network, and the extraction loop writes volumes under it, so both always agree on the key.
    public func spec(backbone: String, normalization: String, weightsSHA256: String) -> ExtractorSpec {
        ExtractorSpec(
            backbone: backbone, weightsSHA256: weightsSHA256, sampling: request.samplingDescription,
            geometry: request.geometry.description, interpolation: request.interpolation.rawValue,
            applyRotation: request.applyRotation, normalization: normalization, pooling: pooling, dtype: dtype,
            motion: motion ? MotionDescriptor.version : nil, precision: precision.specValue)
    }
}

/// How one video of a run ended.
public struct ExtractionOutcome: Sendable {
    public enum Status: String, Sendable, Codable {
        case done
        case skipped
        case failed
    }

    public var path: String
    public var status: Status
    /// The feature file (done, skipped).
    public var featurePath: String?
    /// Sampled frames (done, skipped).
    public var frames: Int?
    /// Why it failed; for done, a note such as a quarantined earlier file.
    public var reason: String?
    /// The errno behind a failure, when a system call failed (ENOSPC: the disk is full).
    public var errno: Int32? = nil
    public var seconds: Double
}

/// The result of a run: one outcome per video, in input order.
public struct ExtractionSummary: Sendable {
    public var key: String
    public var outcomes: [ExtractionOutcome]
    public var seconds: Double
    public var framesEmbedded: Int

    public func count(_ status: ExtractionOutcome.Status) -> Int { outcomes.filter { $0.status == status }.count }

    /// Videos done with a note (a quarantined earlier file, keyframe snapping that could not snap or
    /// repeats keyframes).
    public var noted: Int { outcomes.filter { $0.status == .done && $0.reason != nil }.count }
}
