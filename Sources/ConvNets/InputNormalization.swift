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
        let coefficients = affine
        // The 256 values a byte can become, per channel, computed by the same expression as one
        // byte at a time (`table[c][b] = Float(b) · scale + offset`): the same floats, read from a
        // table on raw pointers instead of a multiply-add behind three bounds checks per value
        // (0.10-0.22 → 0.056 ms for a 224x224 picture, a standalone -O build of both on this machine).
        let table = (0..<3).flatMap { c in
            (0..<256).map { Float($0) * coefficients[c].scale + coefficients[c].offset }
        }
        for picture in pictures {
            precondition(
                picture.count == plane * 3, "InputNormalization: \(picture.count) bytes for \(width)x\(height)")
        }
        var storage = [Float](repeating: 0, count: pictures.count * 3 * plane)
        guard !storage.isEmpty else { return Tensor(shape: [pictures.count, 3, height, width], storage: storage) }
        storage.withUnsafeMutableBufferPointer { out in
            table.withUnsafeBufferPointer { table in
                let (red, green, blue) = (table.start, table.start + 256, table.start + 512)
                for (n, picture) in pictures.enumerated() {
                    let r = out.start + n * 3 * plane
                    let (g, b) = (r + plane, r + 2 * plane)
                    picture.withUnsafeBufferPointer { bytes in
                        let bytes = bytes.start
                        for pixel in 0..<plane {
                            r[pixel] = red[Int(bytes[3 * pixel])]
                            g[pixel] = green[Int(bytes[3 * pixel + 1])]
                            b[pixel] = blue[Int(bytes[3 * pixel + 2])]
                        }
                    }
                }
            }
        }
        return Tensor(shape: [pictures.count, 3, height, width], storage: storage)
    }
}
