import TensorCore
// RGB24 bytes become NCHW floats with the documented recipes (the fast path reads a byte → float
// table per channel; the last test checks it against byte · scale + offset bit for bit).
import Testing

@testable import ConvNets

struct InputNormalizationTests {
    @Test func liteRecipeAndLayout() {
        // A 1x2 picture: pixel 0 = (0, 127, 255), pixel 1 = (1, 2, 3).
        let t = InputNormalization.lite.tensor(from: [[0, 127, 255, 1, 2, 3]], height: 1, width: 2)
        #expect(t.shape == [1, 3, 1, 2])
        let expected: [Float] = [-127, -126, 0, -125, 128, -124].map { $0 / 128 }
        #expect(t.storage == expected)
    }

    @Test func imagenetRecipe() {
        let t = InputNormalization.imagenet.tensor(from: [[255, 0, 128]], height: 1, width: 1)
        let red: Float = (1 - 0.485) / 0.229
        let green: Float = (0 - 0.456) / 0.224
        let blue: Float = (128.0 / 255 - 0.406) / 0.225
        let expected = [red, green, blue]
        for (a, b) in zip(t.storage, expected) { #expect(abs(a - b) < 1e-5, "\(a) vs \(b)") }
    }

    /// The byte → float table against the recipe's own expression, bit for bit, at each NCHW place.
    @Test(arguments: InputNormalization.allCases)
    func tableEqualsTheAffineRecipe(normalization: InputNormalization) {
        var rng = SeededRNG(seed: 3)
        let (height, width) = (5, 7)
        let pictures =
            (0..<2).map { _ in (0..<(height * width * 3)).map { _ in UInt8(rng.uniformFloat() * 256) } }
            + [[UInt8](repeating: 255, count: height * width * 3)]
        let tensor = normalization.tensor(from: pictures, height: height, width: width)
        #expect(tensor.shape == [3, 3, height, width])
        let coefficients = normalization.affine
        var mismatches = 0
        for (n, picture) in pictures.enumerated() {
            for pixel in 0..<(height * width) {
                for c in 0..<3 {
                    let expected = Float(picture[pixel * 3 + c]) * coefficients[c].scale + coefficients[c].offset
                    let actual = tensor.storage[(n * 3 + c) * height * width + pixel]
                    if actual.bitPattern != expected.bitPattern { mismatches += 1 }
                }
            }
        }
        #expect(mismatches == 0, "\(normalization): \(mismatches) values differ from byte · scale + offset")
        let last = tensor.storage[(2 * 3 + 2) * height * width + height * width - 1]
        #expect(last == 255 * coefficients[2].scale + coefficients[2].offset)
    }
}
