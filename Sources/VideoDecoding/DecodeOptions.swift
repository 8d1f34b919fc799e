// Settings that apply to opening and decoding a file, independent of which frames are wanted.

/// Decoder settings and guardrails.
public struct DecodeOptions: Sendable, Equatable {
    /// Decoder threads; 0 means one per core (FFmpeg's automatic choice).
    public var threads: Int
    /// Packets that fail to decode before the file is given up as corrupt.
    public var corruptPacketBudget: Int
    /// Wall-clock limit for opening plus decoding one file, in seconds; nil for none.
    public var timeoutSeconds: Double?
    /// Largest picture accepted, in pixels (width × height), checked on the header and on every frame.
    public var maxPixels: Int
    /// Longest stream accepted, in seconds of decoded timestamps; nil for none.
    public var maxDurationSeconds: Double?

    public init(
        threads: Int = 0, corruptPacketBudget: Int = 100, timeoutSeconds: Double? = 1800,
        maxPixels: Int = 8192 * 8192, maxDurationSeconds: Double? = nil
    ) {
        self.threads = threads
        self.corruptPacketBudget = corruptPacketBudget
        self.timeoutSeconds = timeoutSeconds
        self.maxPixels = maxPixels
        self.maxDurationSeconds = maxDurationSeconds
    }
}

/// Which decoded frames to keep, chosen by time on best-effort timestamps.
public enum Sampling: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Every decoded frame.
    case all
    /// Every k-th decoded frame, starting with the first.
    case stride(Int)
    /// For each t_k = t_0 + k / x up to the last frame, the frame shown at t_k (the last frame whose
    /// timestamp ≤ t_k). A frame shown for several targets is repeated.
    case fps(Double)
    /// n targets spread evenly from the first to the last timestamp, each taking the nearest frame.
    case uniform(Int)
    /// The span is cut into n equal segments; each takes the frame nearest its centre (TSN).
    case segments(Int)

    public var description: String {
        switch self {
        case .all: return "all"
        case .stride(let k): return "stride:\(k)"
        case .fps(let x): return "fps:\(x)"
        case .uniform(let n): return "uniform:\(n)"
        case .segments(let n): return "segments:\(n)"
        }
    }

    /// Whether the frames to keep can be chosen only after every timestamp is known.
    var needsTimeline: Bool {
        switch self {
        case .all, .stride: return false
        case .fps, .uniform, .segments: return true
        }
    }
}

/// The size of the RGB pictures produced.
public enum Geometry: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The displayed size of the video.
    case native
    /// Stretched to exactly width × height.
    case size(width: Int, height: Int)
    /// The short side resized to `shortSide` (aspect kept, long side rounded to nearest), then a
    /// centred `crop` × `crop` square cut out when `crop` is given.
    case shortSide(Int, crop: Int?)

    public var description: String {
        switch self {
        case .native: return "native"
        case .size(let w, let h): return "\(w)x\(h)"
        case .shortSide(let s, let crop): return crop.map { "short_side:\(s),crop:\($0)" } ?? "short_side:\(s)"
        }
    }
}

/// Interpolation of the scaler, by swscale's flag names.
public enum Interpolation: String, Sendable, Equatable, Codable, CaseIterable {
    case bilinear
    case area
    case bicubic
}

/// Where sampled frames come from: exactly the frames the sampling rule picks, or the keyframes
/// nearest the frames it picks (a trade of exact times for decoding only keyframes).
public enum Snap: String, Sendable, Equatable, Codable, CaseIterable {
    case exact
    /// Each frame exact sampling picks moves to the keyframe nearest it in time (ties to the
    /// earlier one); only those pictures are decoded. For fps, uniform and segments sampling.
    case keyframe
}

/// Which frames, at which size, with which interpolation.
public struct FrameRequest: Sendable, Equatable {
    public var sampling: Sampling
    public var snap: Snap
    public var geometry: Geometry
    public var interpolation: Interpolation
    /// Apply the stream's rotation metadata, as players and the ffmpeg CLI do.
    public var applyRotation: Bool
    /// Seek to the keyframe before each sparse target instead of decoding everything; the frames
    /// produced are the same either way.
    public var allowSeeking: Bool
    /// Also emit, just before each sampled frame, the decoded frame that precedes it in the stream
    /// (frame index − 1), marked `isSample == false`: the reference of the motion at that sample.
    public var motionReferences: Bool

    public init(
        sampling: Sampling = .all, geometry: Geometry = .native, interpolation: Interpolation = .bilinear,
        applyRotation: Bool = true, allowSeeking: Bool = true, motionReferences: Bool = false, snap: Snap = .exact
    ) {
        self.sampling = sampling
        self.snap = snap
        self.geometry = geometry
        self.interpolation = interpolation
        self.applyRotation = applyRotation
        self.allowSeeking = allowSeeking
        self.motionReferences = motionReferences
    }
}

extension FrameRequest {
    /// The sampling as the extractor key records it: `Sampling.description`, plus ",snap:keyframe"
    /// when snapping (so exact sampling keeps the keys it always had).
    public var samplingDescription: String {
        snap == .keyframe ? "\(sampling),snap:keyframe" : sampling.description
    }
}
