// The randomised look of one synthetic clip and its rendering. A scene is drawn from a seeded RNG
// for the forward class of a pair (object shape, colours, texture, size, position, background,
// scroll speed, pacing, and the start and end states of the activity); `forwardFrames` renders it
// once, and the pair's reversed class is exactly that frame list in reverse order.

import Foundation
import TensorCore

/// Everything that varies between clips of one activity.
public struct SyntheticScene: Sendable {
    /// The rendered (forward) activity of the pair.
    public var activity: SyntheticActivity
    public var shape: ShapeKind
    public var color: RGBColor
    /// The colour at the end of a colour change, and the second tone of a rotating object.
    public var secondColor: RGBColor
    public var texture: Texture
    /// Texture periods across the object's radius, direction (radians) and contrast.
    public var textureFrequency: Double
    public var textureAngle: Double
    public var textureContrast: Double
    /// Object radius, as a fraction of the short side, at the start and end of the activity.
    public var startRadius: Double
    public var endRadius: Double
    /// Object centre as fractions of the width and height, at the start and end.
    public var start: (x: Double, y: Double)
    public var end: (x: Double, y: Double)
    public var startAngle: Double
    public var endAngle: Double
    public var startAlpha: Double
    public var endAlpha: Double
    public var backgroundTop: RGBColor
    public var backgroundBottom: RGBColor
    public var backgroundTexture: Texture
    public var backgroundPeriod: Double
    public var backgroundAngle: Double
    public var backgroundContrast: Double
    /// Background scroll in pixels per frame.
    public var scroll: (x: Double, y: Double)
    /// Fractions of the clip held still before the activity starts and after it ends.
    public var holdBefore: Double
    public var holdAfter: Double

    /// A random scene for the forward class of `activity`'s pair.
    public init(activity: SyntheticActivity, rng: inout SeededRNG) {
        self.activity = activity.forward
        shape = ShapeKind.allCases[Int(rng.next() % UInt64(ShapeKind.allCases.count))]
        texture = Texture.allCases[Int(rng.next() % UInt64(Texture.allCases.count))]
        backgroundTexture = Texture.allCases[Int(rng.next() % UInt64(Texture.allCases.count))]
        let hue = rng.uniformDouble()
        color = RGBColor(
            hue: hue, saturation: 0.75 + 0.25 * rng.uniformDouble(), value: 0.8 + 0.2 * rng.uniformDouble())
        secondColor = RGBColor(hue: hue + 0.5, saturation: 0.8, value: 0.95)
        textureFrequency = 1.5 + 2 * rng.uniformDouble()
        textureAngle = Double.pi * rng.uniformDouble()
        textureContrast = 0.2 + 0.2 * rng.uniformDouble()
        let radius = 0.28 + 0.14 * rng.uniformDouble()
        (startRadius, endRadius) = (radius, radius)
        let position = (x: 0.4 + 0.2 * rng.uniformDouble(), y: 0.4 + 0.2 * rng.uniformDouble())
        (start, end) = (position, position)
        startAngle = 2 * Double.pi * rng.uniformDouble()
        endAngle = startAngle
        (startAlpha, endAlpha) = (1, 1)
        let backgroundHue = hue + 0.25 + 0.5 * rng.uniformDouble()
        backgroundTop = RGBColor(
            hue: backgroundHue, saturation: 0.15 + 0.35 * rng.uniformDouble(), value: 0.35 + 0.6 * rng.uniformDouble())
        backgroundBottom = RGBColor(
            hue: backgroundHue + 0.2 * (rng.uniformDouble() - 0.5), saturation: 0.15 + 0.35 * rng.uniformDouble(),
            value: 0.35 + 0.6 * rng.uniformDouble())
        backgroundPeriod = 8 + 16 * rng.uniformDouble()
        backgroundAngle = Double.pi * rng.uniformDouble()
        backgroundContrast = 0.08 + 0.14 * rng.uniformDouble()
        let speed = 0.5 + 1.5 * rng.uniformDouble()
        let direction = 2 * Double.pi * rng.uniformDouble()
        scroll = (speed * cos(direction), speed * sin(direction))
        holdBefore = 0.15 * rng.uniformDouble()
        holdAfter = 0.15 * rng.uniformDouble()
        varyActivity(&rng)
    }

    /// Sets the start and end states that define the forward activity.
    private mutating func varyActivity(_ rng: inout SeededRNG) {
        switch activity {
        case .grow:
            startRadius = 0.08 + 0.07 * rng.uniformDouble()
            endRadius = 0.42 + 0.1 * rng.uniformDouble()
        case .fadeIn:
            startAlpha = 0
            endAlpha = 1
        case .redToBlue:
            color = RGBColor(hue: 0.03 * (rng.uniformDouble() - 0.5), saturation: 0.9, value: 0.95)
            secondColor = RGBColor(hue: 0.62 + 0.06 * rng.uniformDouble(), saturation: 0.9, value: 0.95)
            backgroundTop = backgroundTop.mixed(with: RGBColor(red: 0.5, green: 0.5, blue: 0.5), 0.6)
            backgroundBottom = backgroundBottom.mixed(with: RGBColor(red: 0.5, green: 0.5, blue: 0.5), 0.6)
        case .rotateClockwise:
            // The second (near-white) tone starts on top (±25°) and turns clockwise by 120–200°, so
            // that, like the other pairs, the start and end states differ: with a start drawn from
            // the whole circle, the direction could only be read from the small turn between
            // neighbouring frames, which pooled CNN features barely encode (linear probes on the
            // last-minus-first features were at chance; with this start, 0.875 and then 1.0).
            startAngle = -Double.pi / 2 + (50 * rng.uniformDouble() - 25) * Double.pi / 180
            // A near-white second tone: with two random complementary hues the halves have no
            // roles, and a half-turn from "A on top" ends as "B on top", which looks the same.
            secondColor = color.mixed(with: RGBColor(red: 1, green: 1, blue: 1), 0.9)
            endAngle = startAngle + (120 + 80 * rng.uniformDouble()) * Double.pi / 180
        case .moveRight:
            startRadius = 0.2 + 0.08 * rng.uniformDouble()
            endRadius = startRadius
            start.x = 0.15 + 0.1 * rng.uniformDouble()
            end.x = 0.85 - 0.1 * rng.uniformDouble()
        default:
            preconditionFailure("SyntheticScene: \(activity) is not the forward class of its pair")
        }
    }

    /// Progress of the activity in [0, 1] at frame `index` of `count`, after the holds.
    func progress(_ index: Int, of count: Int) -> Double {
        guard count > 1 else { return 0 }
        let time = Double(index) / Double(count - 1)
        let span = max(1e-9, 1 - holdBefore - holdAfter)
        let linear = max(0, min(1, (time - holdBefore) / span))
        return linear * linear * (3 - 2 * linear)
    }

    /// The `count` frames of the forward activity, packed RGB24 of `width` x `height`.
    public func forwardFrames(count: Int, width: Int, height: Int) -> [[UInt8]] {
        (0..<count).map { render(progress: progress($0, of: count), frame: $0, width: width, height: height) }
    }

    /// The `count` frames of a clip of `activity` (which must belong to this scene's pair).
    public func frames(of activity: SyntheticActivity, count: Int, width: Int, height: Int) -> [[UInt8]] {
        precondition(activity.forward == self.activity, "SyntheticScene: \(activity) is not of \(self.activity)'s pair")
        let frames = forwardFrames(count: count, width: width, height: height)
        return activity.isReversed ? frames.reversed() : frames
    }

    /// One picture at activity progress `p`; `frame` positions the scrolling background.
    func render(progress p: Double, frame: Int, width: Int, height: Int) -> [UInt8] {
        var canvas = RGBCanvas(width: width, height: height)
        drawBackground(&canvas, frame: frame)
        let short = Double(min(width, height))
        let radius = short * (startRadius + (endRadius - startRadius) * p)
        let cx = Double(width) * (start.x + (end.x - start.x) * p)
        let cy = Double(height) * (start.y + (end.y - start.y) * p)
        let angle = startAngle + (endAngle - startAngle) * p
        let alpha = startAlpha + (endAlpha - startAlpha) * p
        let base = activity == .redToBlue ? color.mixed(with: secondColor, p) : color
        let twoTone = activity == .rotateClockwise
        let (tc, ts) = (cos(textureAngle), sin(textureAngle))
        canvas.draw(shape, cx: cx, cy: cy, radius: radius, angle: angle, alpha: alpha) { u, v in
            let tone = twoTone && u > 0 ? secondColor : base
            let along = (tc * u + ts * v) * textureFrequency
            let across = (-ts * u + tc * v) * textureFrequency
            return tone.scaled(texture.factor(u: along, v: across, contrast: textureContrast))
        }
        return canvas.pixels
    }

    private func drawBackground(_ canvas: inout RGBCanvas, frame: Int) {
        let (w, h) = (Double(canvas.width), Double(canvas.height))
        let (bc, bs) = (cos(backgroundAngle), sin(backgroundAngle))
        let (ox, oy) = (scroll.x * Double(frame), scroll.y * Double(frame))
        canvas.fill { x, y in
            let shade = backgroundTop.mixed(with: backgroundBottom, y / h * 0.7 + x / w * 0.3)
            let (sx, sy) = (x - ox, y - oy)
            let along = (bc * sx + bs * sy) / backgroundPeriod
            let across = (-bs * sx + bc * sy) / backgroundPeriod
            return shade.scaled(backgroundTexture.factor(u: along, v: across, contrast: backgroundContrast))
        }
    }
}
