// `vidact classify`: the sampled frames of a video (or the one frame of an image) through an
// ImageNet classifier — the sanity check of a backbone's weights and preprocessing. Frames meet
// the CNN here, in Extraction, as they do for feature volumes; the command only formats the
// result.
import ConvNets
import VideoDecoding

/// A file's distinct sampled frames and their class probabilities.
public struct ClassifiedFrames: Sendable {
    public var frames: [RGBFrame]
    /// `[frames.count][1000]` softmax probabilities, one row per frame.
    public var probabilities: [[Float]]
}

/// Classification of a file's sampled frames.
public enum VideoClassification {
    /// The distinct frames of `path` under `request` (each must be 224x224) and their probabilities.
    public static func classify(
        _ path: String, with classifier: ImageNetClassifier, request: FrameRequest, options: DecodeOptions
    ) throws -> ClassifiedFrames {
        let frames = try distinctFrames(path, request: request, options: options)
        return ClassifiedFrames(frames: frames, probabilities: try classifier.probabilities(frames.map(\.pixels)))
    }

    /// The distinct sampled frames of `path` (an image gives one); each must be 224x224.
    static func distinctFrames(_ path: String, request: FrameRequest, options: DecodeOptions) throws -> [RGBFrame] {
        let reader = try VideoReader(path: path, options: options, probe: .forDecoding).frames(request)
        var seen = Set<Int>()
        var result: [RGBFrame] = []
        while let frame = try reader.next() {
            // A one-frame file (an image) yields the same frame for every target.
            guard seen.insert(frame.frameIndex).inserted else { continue }
            guard frame.width == Backbone.inputSize && frame.height == Backbone.inputSize else {
                throw DecodeError(
                    .invalidRequest, path: path,
                    "frames are \(frame.width)x\(frame.height); the CNN takes 224x224 (use --size 224x224 or "
                        + "--short-side S --crop 224)")
            }
            result.append(frame)
        }
        guard !result.isEmpty else { throw DecodeError(.corruptData, path: path, "no frame could be decoded") }
        return result
    }
}
