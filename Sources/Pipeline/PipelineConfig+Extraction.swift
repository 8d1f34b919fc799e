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
            motionReferences: motion)
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
            backbone: backbone.rawValue, normalization: normalization.rawValue, weightsSHA256: weightsSHA256)
    }
}
