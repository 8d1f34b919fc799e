// Thumbnail strips for the run report: a few sampled frames of a video, decoded straight to a small
// size (`height` pixels high, aspect kept, even width) and encoded as JPEG with libavcodec's mjpeg
// encoder (`ImageEncoder`). The run's own sampling is used when it picks a handful of frames
// (`uniform:N` or `segments:N` with N ≤ `maximumFrames`); otherwise `uniform:<maximumFrames>`.
// Memory stays bounded: only small frames are decoded, each is encoded as soon as it arrives, and
// only the JPEG bytes are kept. A video that no longer opens or decodes gives the frames it got
// (perhaps none) and a note saying why, never an error.
import Foundation
import Pipeline
import VideoDecoding
import VideoEncoding

/// Small JPEG frames of a video for the report.
public struct ReportThumbnails: Sendable {
    public var height: Int
    public var maximumFrames: Int
    /// The run's sampling ("uniform:8", "fps:1", …), nil when unknown.
    public var runSampling: Sampling?

    public init(height: Int = 72, maximumFrames: Int = 8, runSampling: Sampling? = nil) {
        precondition(height >= 8 && maximumFrames >= 1, "ReportThumbnails: height \(height), frames \(maximumFrames)")
        self.height = height
        self.maximumFrames = maximumFrames
        self.runSampling = runSampling
    }

    /// The sampling used for the strip: the run's when it gives at most `maximumFrames` frames.
    public var sampling: Sampling {
        if let sampling = runSampling {
            switch sampling {
            case .uniform(let n) where n >= 1 && n <= maximumFrames: return sampling
            case .segments(let n) where n >= 1 && n <= maximumFrames: return sampling
            default: break
            }
        }
        return .uniform(maximumFrames)
    }

    /// The JPEG bytes of the strip's frames and, when something went wrong, a note for people.
    public func strip(path: String) -> (jpegs: [[UInt8]], note: String?) {
        var jpegs: [[UInt8]] = []
        do {
            let reader = try VideoReader(
                path: path, options: DecodeOptions(threads: 1, timeoutSeconds: 60), probe: .forDecoding)
            var (width, height) = (reader.info.width, reader.info.height)
            if reader.info.rotation % 180 != 0 { swap(&width, &height) }
            guard width > 0, height > 0 else { return ([], "no picture size in the stream") }
            let thumbnailWidth = max(2, Int((Double(self.height) * Double(width) / Double(height) / 2).rounded()) * 2)
            let frames = try reader.frames(
                FrameRequest(sampling: sampling, geometry: .size(width: thumbnailWidth, height: self.height)))
            let encoder = try ImageEncoder(format: .jpg, width: thumbnailWidth, height: self.height, quality: 5)
            while jpegs.count < maximumFrames, let frame = try frames.next() {
                jpegs.append(try encoder.encode(rgb: frame.pixels))
            }
            return (jpegs, jpegs.isEmpty ? "the video decoded to no frames" : nil)
        } catch {
            let reason = "\(error)"
            return (jpegs, "thumbnails incomplete: \(reason)")
        }
    }
}
