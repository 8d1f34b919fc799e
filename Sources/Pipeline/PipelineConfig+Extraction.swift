// The `extract` section as the extraction loop's settings: the frame request, the backbone and
// its weights file, so that `vidact run` and `vidact features extract` with the same settings
// compute the same extractor key and share the cache.
import ConvNets
import Extraction
import FeatureStore
import Foundation
import VideoDecoding

extension PipelineConfig.Extract {
    public var frameRequest: FrameRequest {
        FrameRequest(
            sampling: sampling, geometry: geometry, interpolation: interpolation, applyRotation: rotation,
            motionReferences: motion, snap: snap)
    }

    /// `calibrationIdentity` is the checksum of `calibration` (read by the runner), required for int8.
    public func settings(toolVersion: String, calibrationIdentity: String? = nil) -> ExtractionSettings {
        var cnn = CNNPrecision.f32
        if precision == .int8 {
            guard let calibration, let calibrationIdentity else {
                preconditionFailure("PipelineConfig.Extract: int8 settings without a read calibration")
            }
            cnn = .int8(calibration: calibration, identity: calibrationIdentity)
        }
        return ExtractionSettings(
            request: frameRequest, decode: DecodeOptions(), pooling: pooling, dtype: dtype, batch: batch, jobs: jobs,
            toolVersion: toolVersion, precision: cnn)
    }

    /// The spec (and so the key) of these settings with the weights of `weightsSHA256` (and the
    /// calibration of `calibrationIdentity`, int8), computed without loading the network.
    public func spec(weightsSHA256: String, calibrationIdentity: String? = nil) -> ExtractorSpec {
        settings(toolVersion: "", calibrationIdentity: calibrationIdentity).spec(
            backbone: backbone.rawValue, normalization: normalization.rawValue, weightsSHA256: weightsSHA256)
    }
}
