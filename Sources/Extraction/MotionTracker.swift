// The motion of each sampled frame of one video, as the decoder hands frames out: with
// `FrameRequest.motionReferences` every sample i is preceded by frame i − 1 (a reference, or the
// previous sample), so the tracker keeps the last frame's grey picture and measures the sample
// against it when it is frame i − 1. A sample repeated at several targets (fps sampling) gets the
// descriptor of its first emission; a sample without its predecessor gets zeros (see
// `MotionDescriptor`).
import VideoDecoding

/// Motion descriptors of a stream of frames, one video at a time.
struct MotionTracker {
    private let estimator = MotionEstimator()
    private var previous: (index: Int, timestamp: Double, picture: GreyPicture)?
    private var last: (index: Int, descriptor: [Float])?

    /// The descriptor of `frame` against the frame before it (references also pass through here,
    /// to become the previous picture; their descriptor is not used).
    mutating func next(_ frame: RGBFrame) throws -> [Float] {
        if let last, last.index == frame.frameIndex { return last.descriptor }
        let picture = GreyPicture(frame)
        var descriptor = [Float](repeating: 0, count: MotionDescriptor.width)
        if frame.isSample, let previous, previous.index == frame.frameIndex - 1,
            previous.picture.width == picture.width, previous.picture.height == picture.height
        {
            let vectors = try estimator.vectors(from: previous.picture, to: picture)
            descriptor = MotionDescriptor.compute(
                vectors, width: picture.width, height: picture.height, seconds: frame.timestamp - previous.timestamp)
        }
        previous = (frame.frameIndex, frame.timestamp, picture)
        last = (frame.frameIndex, descriptor)
        return descriptor
    }
}
