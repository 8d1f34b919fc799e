import Extraction
// Helpers for the extraction tests: tiny clips made by the ffmpeg CLI, and a cheap stand-in CNN
// whose features are the mean colour of each picture (so values can be predicted) and which
// records the batches it was given.
import FeatureStore
import Foundation
import TensorCore
import TestSupport
import VideoDecoding

enum ExtractionFixtures {
    static func temporaryDirectory() throws -> String { try TemporaryDirectory.make("extract") }

    /// A `seconds`-long 10 fps clip of ffmpeg's test pattern `source` (e.g. "testsrc", "smptebars").
    static func clip(_ path: String, source: String = "testsrc", seconds: Int = 3, size: String = "96x64") throws {
        let result = try runProcess(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                "\(source)=size=\(size):rate=10:duration=\(seconds)",
                "-pix_fmt", "yuv420p", "-c:v", "libx264", "-g", "10", path,
            ])
        precondition(result.status == 0, "ffmpeg failed: \(result.stderr)")
    }

    static func settings(fps: Double = 2, size: Int = 32, batch: Int = 4, jobs: Int = 2) -> ExtractionSettings {
        ExtractionSettings(
            request: FrameRequest(sampling: .fps(fps), geometry: .size(width: size, height: size)),
            decode: DecodeOptions(threads: 1), pooling: .avg, dtype: .f32, batch: batch, jobs: jobs,
            toolVersion: "test")
    }
}

/// Features = mean R, G, B of the picture; records batch sizes and how many pictures it saw.
final class MeanColourEmbedder: FrameEmbedder, @unchecked Sendable {
    var backboneName: String { "mean-colour" }
    var normalizationName: String { "none" }
    let inputSize: Int
    private(set) var batches: [Int] = []

    init(inputSize: Int = 32) { self.inputSize = inputSize }

    func embed(_ pictures: [[UInt8]], pooling: FeaturePooling) throws -> Tensor {
        batches.append(pictures.count)
        var rows: [Float] = []
        for picture in pictures { rows += Self.meanColour(picture) }
        return Tensor(shape: [pictures.count, 3], storage: rows)
    }

    static func meanColour(_ picture: [UInt8]) -> [Float] {
        var sums: [Float] = [0, 0, 0]
        for (index, value) in picture.enumerated() { sums[index % 3] += Float(value) }
        return sums.map { $0 / Float(picture.count / 3) }
    }
}
