// A packed RGB24 raster (rows top to bottom, `width * 3` bytes a row) with the drawing the synthetic
// dataset needs: a textured two-colour gradient background that can scroll, and a filled, textured,
// rotated, semi-transparent shape. Pure Swift arithmetic in Double, so the same inputs give the
// same bytes. Coordinates are pixels with y down; a positive angle turns clockwise on screen.

import Foundation

/// An RGB colour with components in [0, 1].
public struct RGBColor: Sendable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double

    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from hue (turns, any value), saturation and value in [0, 1].
    public init(hue: Double, saturation: Double, value: Double) {
        let h = (hue - hue.rounded(.down)) * 6
        let sector = Int(h) % 6
        let f = h - Double(Int(h))
        let p = value * (1 - saturation)
        let q = value * (1 - saturation * f)
        let t = value * (1 - saturation * (1 - f))
        let rgb: (Double, Double, Double) = [
            (value, t, p), (q, value, p), (p, value, t), (p, q, value), (t, p, value), (value, p, q),
        ][sector]
        self.init(red: rgb.0, green: rgb.1, blue: rgb.2)
    }

    /// `self` at `1 - t`, `other` at `t`.
    public func mixed(with other: RGBColor, _ t: Double) -> RGBColor {
        RGBColor(
            red: red + (other.red - red) * t, green: green + (other.green - green) * t,
            blue: blue + (other.blue - blue) * t)
    }

    func scaled(_ factor: Double) -> RGBColor {
        RGBColor(red: red * factor, green: green * factor, blue: blue * factor)
    }
}

/// Periodic brightness patterns for backgrounds and objects.
public enum Texture: Int, Sendable, CaseIterable {
    case stripes
    case checker
    case rings

    /// A brightness factor around 1 at point (u, v) (in periods), amplitude `contrast`.
    func factor(u: Double, v: Double, contrast: Double) -> Double {
        let wave: Double
        switch self {
        case .stripes: wave = sin(2 * .pi * u)
        case .checker: wave = sin(2 * .pi * u) * sin(2 * .pi * v) * 1.6
        case .rings: wave = sin(2 * .pi * (u * u + v * v).squareRoot())
        }
        return 1 + contrast * max(-1, min(1, wave))
    }
}

/// Outline of the drawn object.
public enum ShapeKind: Int, Sendable, CaseIterable {
    case circle
    case square
    case triangle

    /// Whether the point (u, v), in units of the shape's radius, lies inside.
    func contains(u: Double, v: Double) -> Bool {
        switch self {
        case .circle: return u * u + v * v <= 1
        case .square: return abs(u) <= 0.8 && abs(v) <= 0.8
        case .triangle:
            // Apex up at v = -1, base at v = 0.6.
            guard v <= 0.6, v >= -1 else { return false }
            return abs(u) <= (v + 1) * 0.62
        }
    }
}

/// A packed RGB24 picture being drawn.
public struct RGBCanvas: Sendable {
    public let width: Int
    public let height: Int
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "RGBCanvas: size \(width)x\(height)")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
    }

    /// Fills every pixel with `color(x, y)` (pixel centres).
    mutating func fill(_ color: (Double, Double) -> RGBColor) {
        for y in 0..<height {
            for x in 0..<width {
                set(x, y, color(Double(x) + 0.5, Double(y) + 0.5))
            }
        }
    }

    /// Blends `color(u, v)` with opacity `alpha` over the pixels inside `shape`, centred at
    /// (cx, cy), `radius` pixels, turned by `angle` radians; (u, v) are shape coordinates in radii.
    mutating func draw(
        _ shape: ShapeKind, cx: Double, cy: Double, radius: Double, angle: Double, alpha: Double,
        color: (Double, Double) -> RGBColor
    ) {
        guard alpha > 0, radius > 0 else { return }
        let c = cos(angle)
        let s = sin(angle)
        let reach = radius * 1.5
        let x0 = max(0, Int((cx - reach).rounded(.down)))
        let x1 = min(width - 1, Int((cx + reach).rounded(.up)))
        let y0 = max(0, Int((cy - reach).rounded(.down)))
        let y1 = min(height - 1, Int((cy + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        for y in y0...y1 {
            for x in x0...x1 {
                let dx = (Double(x) + 0.5 - cx) / radius
                let dy = (Double(y) + 0.5 - cy) / radius
                // Inverse rotation: screen offset → shape coordinates.
                let u = c * dx + s * dy
                let v = -s * dx + c * dy
                guard shape.contains(u: u, v: v) else { continue }
                let under = get(x, y)
                set(x, y, under.mixed(with: color(u, v), alpha))
            }
        }
    }

    private func get(_ x: Int, _ y: Int) -> RGBColor {
        let i = (y * width + x) * 3
        return RGBColor(
            red: Double(pixels[i]) / 255, green: Double(pixels[i + 1]) / 255, blue: Double(pixels[i + 2]) / 255)
    }

    private mutating func set(_ x: Int, _ y: Int, _ color: RGBColor) {
        let i = (y * width + x) * 3
        pixels[i] = Self.byte(color.red)
        pixels[i + 1] = Self.byte(color.green)
        pixels[i + 2] = Self.byte(color.blue)
    }

    private static func byte(_ value: Double) -> UInt8 {
        UInt8(max(0, min(255, (value * 255).rounded())))
    }
}
