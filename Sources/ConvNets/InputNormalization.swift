// Turns packed RGB24 pictures (the decoder's output: rows top to bottom, R, G, B bytes) into the
// network's float input, NCHW, with one of two documented recipes:
// - `lite`: (x − 127) / 128 on 0…255, the recipe the TensorFlow EfficientNet-Lite checkpoint was
//   trained with; the default, because it ranks the reference photos best (scripts/fixtures/README-cnn.md);
// - `imagenet`: ((x / 255) − mean) / std with mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).
import TensorCore

public enum InputNormalization: String, Sendable, CaseIterable, Codable {
    case lite
    case imagenet

    /// Per-channel (scale, offset) such that value = byte · scale + offset.
    var affine: [(scale: Float, offset: Float)] {
        switch self {
        case .lite:
            return Array(repeating: (1 / 128, -127 / 128), count: 3)
        case .imagenet:
            let mean: [Float] = [0.485, 0.456, 0.406]
            let std: [Float] = [0.229, 0.224, 0.225]
            return (0..<3).map { c in (1 / (255 * std[c]), -mean[c] / std[c]) }
        }
    }

    /// `pictures` of `height × width` RGB24 each → a [N, 3, height, width] tensor.
    public func tensor(from pictures: [[UInt8]], height: Int, width: Int) -> Tensor {
        let plane = height * width
        var storage = [Float](repeating: 0, count: pictures.count * 3 * plane)
        let coefficients = affine
        for (n, picture) in pictures.enumerated() {
            precondition(
                picture.count == plane * 3, "InputNormalization: \(picture.count) bytes for \(width)x\(height)")
            for pixel in 0..<plane {
                for c in 0..<3 {
                    let value = Float(picture[pixel * 3 + c])
                    storage[(n * 3 + c) * plane + pixel] = value * coefficients[c].scale + coefficients[c].offset
                }
            }
        }
        return Tensor(shape: [pictures.count, 3, height, width], storage: storage)
    }
}
