import TensorCore
// RGB24 bytes become NCHW floats with the documented recipes.
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
}
