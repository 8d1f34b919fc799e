// The step vectors a sequence model reads from a volume: its features, or with motion inputs
// [features, motion] per frame (`SequenceInputs`). A volume without motion cannot feed a model
// that reads motion: the error names the file's key and says how to extract with motion.
import Datasets
import FeatureStore
import TensorCore

extension FeatureVolume {
    /// `[T, D]` features, or `[T, D + D_m]` features and motion side by side when `motion` is true.
    public func steps(withMotion motion: Bool, source: String) throws(DatasetError) -> Tensor {
        guard motion else { return features }
        guard let descriptors = self.motion else {
            throw DatasetError(
                .notCached, file: source,
                "its features (extractor key \(info.spec.key)) have no motion descriptors, which the model reads; "
                    + "extract with motion (`extract.motion: true`, or `vidact features extract --motion`)")
        }
        let (frames, width, motionWidth) = (frameCount, self.width, descriptors.shape[1])
        var values = [Float]()
        values.reserveCapacity(frames * (width + motionWidth))
        for t in 0..<frames {
            values += features.storage[(t * width)..<((t + 1) * width)]
            values += descriptors.storage[(t * motionWidth)..<((t + 1) * motionWidth)]
        }
        return Tensor(shape: [frames, width + motionWidth], storage: values)
    }
}
