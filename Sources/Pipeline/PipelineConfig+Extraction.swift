// The `extract` section as the extraction loop's settings: the frame request (parsed back from
// the canonical sampling/geometry strings, which are `Sampling`/`Geometry` descriptions), the
// backbone and its weights file, so that `vidact run` and `vidact features extract` with the same
// settings compute the same extractor key and share the cache.
import ConvNets
import FeatureStore
import Foundation
import VideoDecoding

extension PipelineConfig.Extract {
    public var backboneKind: Backbone { Backbone(rawValue: backbone) ?? .efficientnetLite0 }

    /// The weights file: `weights`, or the backbone's default file in `models`.
    public var weightsPath: String { weights ?? models + "/" + (backboneKind.defaultWeightsFile ?? "") }

    public var inputNormalization: InputNormalization {
        normalization.flatMap(InputNormalization.init(rawValue:)) ?? backboneKind.normalization
    }

    public var frameRequest: FrameRequest {
        FrameRequest(
            sampling: Self.sampling(sampling), geometry: Self.geometry(geometry),
            interpolation: Interpolation(rawValue: interpolation) ?? .bilinear, applyRotation: rotation)
    }

    public func settings(toolVersion: String) -> ExtractionSettings {
        ExtractionSettings(
            request: frameRequest, decode: DecodeOptions(), pooling: pooling, dtype: dtype, batch: batch, jobs: jobs,
            toolVersion: toolVersion)
    }

    /// The spec (and so the key) of these settings with the weights of `weightsSHA256`, computed
    /// without loading the network.
    public func spec(weightsSHA256: String) -> ExtractorSpec {
        settings(toolVersion: "").spec(
            backbone: backboneKind.rawValue, normalization: inputNormalization.rawValue, weightsSHA256: weightsSHA256)
    }

    /// "fps:1.0", "uniform:8", "segments:8", "stride:2", "all" (validated by the decoder).
    static func sampling(_ text: String) -> Sampling {
        let parts = text.split(separator: ":")
        let value = parts.count == 2 ? String(parts[1]) : ""
        switch parts.first {
        case "fps": return .fps(Double(value) ?? 1)
        case "uniform": return .uniform(Int(value) ?? 8)
        case "segments": return .segments(Int(value) ?? 8)
        case "stride": return .stride(Int(value) ?? 1)
        default: return .all
        }
    }

    /// "short_side:256,crop:224", "short_side:256" or "224x224" (validated by the decoder).
    static func geometry(_ text: String) -> Geometry {
        if text.hasPrefix("short_side:") {
            let fields = text.split(separator: ",").map { $0.split(separator: ":") }
            let side = Int(fields[0][1]) ?? 256
            let crop = fields.count > 1 ? Int(fields[1][1]) : nil
            return .shortSide(side, crop: crop)
        }
        let parts = text.split(separator: "x").compactMap { Int($0) }
        return parts.count == 2 ? .size(width: parts[0], height: parts[1]) : .native
    }
}
