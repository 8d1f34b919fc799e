// The widened u8 stem's input (`Int8WidenedStem`): the byte of a normalised value, and the padded
// R 0 G 0 B 0 layout that the plan writes from bytes or from a normalised tensor and that the twin
// reads.
import TensorCore
import Testing

@testable import ConvNets

struct Int8WidenedStemTests {
    @Test func normalisedValuesBecomeTheirBytes() {
        for x in 0...255 {
            #expect(Int8WidenedStem.byte((Float(x) - 127) / 128) == UInt8(x), "byte \(x)")
        }
        // Rounding half to even, saturation, and NaN.
        #expect(Int8WidenedStem.byte(0.5 / 128) == 127 && Int8WidenedStem.byte(1.5 / 128) == 129)
        #expect(Int8WidenedStem.byte(-0.5 / 128) == 127 && Int8WidenedStem.byte(-126.5 / 128) == 1)
        #expect(Int8WidenedStem.byte(-127.5 / 128) == 0 && Int8WidenedStem.byte(128.5 / 128) == 255)
        #expect(Int8WidenedStem.byte(-5) == 0 && Int8WidenedStem.byte(5) == 255 && Int8WidenedStem.byte(1e30) == 255)
        #expect(Int8WidenedStem.byte(.nan) == 0 && Int8WidenedStem.byte(-.infinity) == 0)
    }

    /// A 3x4 picture through EfficientNet-Lite0's stem geometry (SAME, stride 2: one row and one
    /// column of padding after the picture): every byte of the prepared and written input.
    @Test func thePaddedInputHoldsTheColoursAndTheZeroPoint() throws {
        guard let (_, int8, _) = try EfficientNetLite0Int8Tests.networks() else { return }
        let stem = Int8WidenedStem(stem: int8.scheme.stem, height: 3, width: 4)
        #expect(stem.paddedHeight == 4 && stem.paddedWidth == 5)
        #expect(stem.geometry.padTop + stem.geometry.padBottom + stem.geometry.padLeft + stem.geometry.padRight == 0)
        let picture: [UInt8] = (0..<36).map { UInt8(($0 * 37) % 256) }
        var extremes = picture
        extremes[0] = 255
        extremes[1] = 0
        let perImage = 4 * 5 * 6
        var fromBytes = [UInt8](repeating: 9, count: 2 * perImage)
        fromBytes.withUnsafeMutableBytes { buffer in
            stem.prepare(buffer, batch: 2)
            extremes.withUnsafeBytes { stem.write(rgb24: $0, into: buffer, index: 1) }
        }
        for y in 0..<4 {
            for x in 0..<5 {
                for c in 0..<6 {
                    let inside = y < 3 && x < 4
                    let first = fromBytes[(y * 5 + x) * 6 + c]
                    let second = fromBytes[perImage + (y * 5 + x) * 6 + c]
                    let expected: UInt8 = c % 2 == 1 ? 0 : (inside ? extremes[(y * 4 + x) * 3 + c / 2] : 127)
                    #expect(second == expected, "y \(y) x \(x) channel \(c)")
                    #expect(first == (c % 2 == 0 && !inside ? 127 : 0), "image 0, y \(y) x \(x) channel \(c)")
                }
            }
        }
        // From the normalised picture: the same bytes; the twin reads them NCHW.
        let normalised = InputNormalization.lite.tensor(from: [picture, extremes], height: 3, width: 4)
        var fromTensor = [UInt8](repeating: 9, count: 2 * perImage)
        fromTensor.withUnsafeMutableBytes { buffer in
            stem.prepare(buffer, batch: 2)
            stem.write(normalised: normalised, into: buffer)
        }
        #expect(Array(fromTensor[perImage...]) == Array(fromBytes[perImage...]))
        let twin = stem.naiveInput(normalised)
        #expect(twin.shape == [2, 6, 4, 5])
        for n in 0..<2 {
            for c in 0..<6 {
                for y in 0..<4 {
                    for x in 0..<5 {
                        #expect(twin[n, c, y, x] == Float(fromTensor[n * perImage + (y * 5 + x) * 6 + c]))
                    }
                }
            }
        }
    }
}
