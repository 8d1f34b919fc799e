// What vidact knows about a video before decoding it: the container, the chosen video stream and
// what its headers claim. Header frame counts and durations are often wrong in real files; they
// are reported, never relied upon for sampling.

/// A rational number as FFmpeg uses for time bases and frame rates.
public struct Rational: Sendable, Codable, Equatable, CustomStringConvertible {
    public var numerator: Int
    public var denominator: Int

    public init(_ numerator: Int, _ denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// nil when the denominator is zero (FFmpeg's "unknown").
    public var value: Double? {
        denominator == 0 ? nil : Double(numerator) / Double(denominator)
    }

    public var description: String { "\(numerator)/\(denominator)" }
}

/// The probed facts of a video file's best video stream.
public struct VideoInfo: Sendable, Codable, Equatable {
    public var path: String
    public var fileSize: Int64
    /// FFmpeg's short container name, e.g. "mov,mp4,m4a,3gp,3g2,mj2".
    public var container: String
    /// Index of the chosen video stream in the container.
    public var streamIndex: Int
    public var codec: String
    public var pixelFormat: String
    /// Size of the pictures as stored.
    public var codedWidth: Int
    public var codedHeight: Int
    /// Size as displayed, after rotation metadata is applied.
    public var width: Int
    public var height: Int
    public var timeBase: Rational
    /// Seconds, from the stream header; nil when unknown.
    public var startTime: Double?
    /// Seconds, from the stream or container header; nil when unknown.
    public var duration: Double?
    /// Frames per second averaged over the stream, as the header states; nil when unknown.
    public var averageFrameRate: Double?
    /// The frame count the container claims; nil when it does not say.
    public var headerFrameCount: Int?
    /// Clockwise rotation in degrees (0, 90, 180 or 270) that a player applies.
    public var rotation: Int
    /// Whether the frame rate looks variable; nil when the headers do not tell.
    public var variableFrameRate: Bool?
}
