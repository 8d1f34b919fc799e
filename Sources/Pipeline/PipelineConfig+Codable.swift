// The JSON form of the `extract` section, as pipeline format version 1 has always written it:
// every key of `Extract` under its Swift name, with sampling and geometry as canonical strings
// (`Sampling`/`Geometry` descriptions: "fps:1.0", "uniform:8", "segments:8", "stride:2", "all";
// "short_side:256,crop:224", "short_side:256", "224x224"). The canonical JSON (and so the config
// hash recorded with every run) stays what it was before the section was typed. Decoding is for
// the configs recorded in the catalog (`vidact report`); a pipeline file is read by
// `PipelineConfig+Decoding`, which builds typed values directly.
import ConvNets
import FeatureStore
import Foundation
import VideoDecoding

extension PipelineConfig.Extract: Codable {
    enum CodingKeys: String, CodingKey {
        case backbone, weights, models, sampling, geometry, interpolation, rotation, normalization, pooling, dtype
        case batch, jobs, motion, precision, calibration, snap
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        backbone = try c.decode(Backbone.self, forKey: .backbone)
        weights = try c.decode(String.self, forKey: .weights)
        models = try c.decode(String.self, forKey: .models)
        let samplingText = try c.decode(String.self, forKey: .sampling)
        guard let sampling = Self.sampling(samplingText) else {
            throw DecodingError.dataCorruptedError(
                forKey: .sampling, in: c, debugDescription: "not a sampling: \(samplingText)")
        }
        self.sampling = sampling
        let geometryText = try c.decode(String.self, forKey: .geometry)
        guard let geometry = Self.geometry(geometryText) else {
            throw DecodingError.dataCorruptedError(
                forKey: .geometry, in: c, debugDescription: "not a geometry: \(geometryText)")
        }
        self.geometry = geometry
        interpolation = try c.decode(Interpolation.self, forKey: .interpolation)
        rotation = try c.decode(Bool.self, forKey: .rotation)
        normalization = try c.decode(InputNormalization.self, forKey: .normalization)
        pooling = try c.decode(FeaturePooling.self, forKey: .pooling)
        dtype = try c.decode(FeatureDType.self, forKey: .dtype)
        batch = try c.decode(Int.self, forKey: .batch)
        jobs = try c.decode(Int.self, forKey: .jobs)
        motion = try c.decodeIfPresent(Bool.self, forKey: .motion) ?? false
        precision = try c.decodeIfPresent(Precision.self, forKey: .precision) ?? .f32
        calibration = try c.decodeIfPresent(String.self, forKey: .calibration)
        snap = try c.decodeIfPresent(Snap.self, forKey: .snap) ?? .exact
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(backbone, forKey: .backbone)
        try c.encode(weights, forKey: .weights)
        try c.encode(models, forKey: .models)
        try c.encode(sampling.description, forKey: .sampling)
        try c.encode(geometry.description, forKey: .geometry)
        try c.encode(interpolation, forKey: .interpolation)
        try c.encode(rotation, forKey: .rotation)
        try c.encode(normalization, forKey: .normalization)
        try c.encode(pooling, forKey: .pooling)
        try c.encode(dtype, forKey: .dtype)
        try c.encode(batch, forKey: .batch)
        try c.encode(jobs, forKey: .jobs)
        // Written only when on, so configs without motion keep the hashes they always had.
        if motion { try c.encode(motion, forKey: .motion) }
        if snap != .exact { try c.encode(snap, forKey: .snap) }
        // Likewise only for int8, so f32 configs keep their hashes.
        if precision != .f32 {
            try c.encode(precision, forKey: .precision)
            try c.encodeIfPresent(calibration, forKey: .calibration)
        }
    }

    /// The sampling of its canonical string; nil when it is not one.
    public static func sampling(_ text: String) -> Sampling? {
        if text == "all" { return .all }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "fps": return Double(parts[1]).flatMap { $0 > 0 ? .fps($0) : nil }
        case "uniform": return Int(parts[1]).flatMap { $0 > 0 ? .uniform($0) : nil }
        case "segments": return Int(parts[1]).flatMap { $0 > 0 ? .segments($0) : nil }
        case "stride": return Int(parts[1]).flatMap { $0 > 0 ? .stride($0) : nil }
        default: return nil
        }
    }

    /// The geometry of its canonical string; nil when it is not one.
    public static func geometry(_ text: String) -> Geometry? {
        if text == "native" { return .native }
        if text.hasPrefix("short_side:") {
            let fields = text.split(separator: ",").map { $0.split(separator: ":").map(String.init) }
            guard let side = fields[0].count == 2 ? Int(fields[0][1]) : nil else { return nil }
            guard fields.count > 1 else { return .shortSide(side, crop: nil) }
            guard fields.count == 2, fields[1].count == 2, fields[1][0] == "crop", let crop = Int(fields[1][1]) else {
                return nil
            }
            return .shortSide(side, crop: crop)
        }
        let parts = text.split(separator: "x").compactMap { Int($0) }
        return parts.count == 2 ? .size(width: parts[0], height: parts[1]) : nil
    }
}
