// The extractor spec: everything that changes the numbers of a feature volume. Its canonical JSON
// (sorted keys, no whitespace) is hashed into the extractor key, the folder name of every volume
// made with it, so changing any of these settings — or `codeVersion`, bumped whenever the decode
// or CNN code changes its numbers — never reuses stale features.
//
// Values are plain strings and numbers so that this module needs neither the decoder nor the CNN;
// the pipeline fills them from its typed settings (e.g. sampling "uniform:8", geometry
// "short_side:256,crop:224", the descriptions of `Sampling` and `Geometry`).
import Basics
import Crypto
import Foundation

/// How a frame's final feature map becomes its feature vector.
public enum FeaturePooling: String, Codable, Sendable, CaseIterable {
    /// Global average: D = channels.
    case avg
    /// Average of each cell of a 2x2 grid, row-major: D = 4 × channels.
    case grid2
}

/// How features are stored on disk.
public enum FeatureDType: String, Codable, Sendable, CaseIterable {
    case f16
    case f32
}

/// The complete description of how a volume was computed.
public struct ExtractorSpec: Codable, Hashable, Sendable {
    /// Bumped whenever decoding, scaling, normalisation or the CNN change their output numbers.
    public static let currentCodeVersion = 1

    public var backbone: String
    /// SHA-256 (hex) of the weights file.
    public var weightsSHA256: String
    public var sampling: String
    public var geometry: String
    public var interpolation: String
    public var applyRotation: Bool
    public var normalization: String
    public var pooling: FeaturePooling
    public var dtype: FeatureDType
    /// The motion descriptor stored beside the features (e.g. "mestimate-epzs8-median5-v3"), nil for none.
    /// Absent from the canonical JSON when nil, so specs without motion keep their keys.
    public var motion: String?
    /// The CNN arithmetic when it is not f32: "int8:" and the SHA-256 of the calibration file's
    /// content (its checksum). Absent from the canonical JSON when nil (f32), so f32 specs keep
    /// their keys.
    public var precision: String?
    public var codeVersion: Int

    public init(
        backbone: String, weightsSHA256: String, sampling: String, geometry: String, interpolation: String,
        applyRotation: Bool, normalization: String, pooling: FeaturePooling, dtype: FeatureDType,
        motion: String? = nil, precision: String? = nil, codeVersion: Int = ExtractorSpec.currentCodeVersion
    ) {
        self.motion = motion
        self.precision = precision
        self.backbone = backbone
        self.weightsSHA256 = weightsSHA256
        self.sampling = sampling
        self.geometry = geometry
        self.interpolation = interpolation
        self.applyRotation = applyRotation
        self.normalization = normalization
        self.pooling = pooling
        self.dtype = dtype
        self.codeVersion = codeVersion
    }

    enum CodingKeys: String, CodingKey {
        case backbone
        case weightsSHA256 = "weights_sha256"
        case sampling, geometry, interpolation
        case applyRotation = "apply_rotation"
        case normalization, pooling, dtype, motion, precision
        case codeVersion = "code_version"
    }

    /// Sorted-key compact JSON: the same spec always gives the same bytes.
    public var canonicalJSON: String {
        CanonicalJSON.string(of: self)
    }

    /// The first 16 hex digits of the SHA-256 of the canonical JSON (64 bits: collisions among the
    /// handful of specs a workdir holds are out of reach).
    public var key: String {
        String(SHA256.hash(data: Data(canonicalJSON.utf8)).hexString.prefix(16))
    }

    /// One line for people: "efficientnet-lite0 avg f16 · uniform:8 · short_side:256,crop:224 bilinear · lite".
    public var summary: String {
        let rotation = applyRotation ? "" : " no-rotation"
        return "\(backbone) \(pooling.rawValue) \(dtype.rawValue) · \(sampling) · \(geometry) \(interpolation)"
            + "\(rotation) · \(normalization) · weights \(weightsSHA256.prefix(8))"
            + (motion.map { " · motion \($0)" } ?? "") + (precision.map { " · \($0.prefix(13))" } ?? "")
            + " · code v\(codeVersion)"
    }

    /// Parses the canonical JSON (as stored in a feature file's metadata).
    public static func parse(_ json: String) throws -> ExtractorSpec {
        try JSONDecoder().decode(ExtractorSpec.self, from: Data(json.utf8))
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal.
    var hexString: String {
        map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

extension SHA256.Digest {
    var hexString: String { Array(self).hexString }
}
