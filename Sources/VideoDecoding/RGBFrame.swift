// A sampled frame after conversion: packed RGB24 pixels plus where it came from in the stream.

/// One sampled picture, packed RGB24, rows top to bottom, `width * 3` bytes per row.
public struct RGBFrame: Sendable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]
    /// Position of the frame in presentation order among all frames of the stream.
    public var frameIndex: Int
    /// Best-effort timestamp in seconds on the stream's clock (as ffprobe's best_effort_timestamp_time).
    public var timestamp: Double
    /// Seconds since the stream's first frame.
    public var time: Double
    /// False for a frame emitted only as the motion reference of the next sampled frame
    /// (`FrameRequest.motionReferences`).
    public var isSample = true

    public init(width: Int, height: Int, pixels: [UInt8], frameIndex: Int, timestamp: Double, time: Double) {
        precondition(pixels.count == width * height * 3, "RGBFrame: \(pixels.count) bytes for \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
        self.frameIndex = frameIndex
        self.timestamp = timestamp
        self.time = time
    }
}
