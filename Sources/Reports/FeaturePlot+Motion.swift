// The global-motion panel of `features inspect --plot`, under the similarity curve, for volumes
// with motion descriptors: tx, ty (frame sizes per second), divergence (zoom, per second) and curl
// (rotation, radians per second) of `MotionDescriptor` against time, on one axis symmetric about
// zero (the largest magnitude of the four at the edge). In the SVG, four coloured polylines with a
// legend; in the PNG, the same curves drawn pixel by pixel.
import Foundation

extension FeaturePlot {
    static let motionHeight = 120
    /// The plotted columns of the motion tensor, their names and colours.
    static let motionCurves: [(column: Int, name: String, colour: [UInt8])] = [
        (0, "tx", [214, 39, 40]), (1, "ty", [31, 119, 180]), (2, "divergence", [44, 160, 44]),
        (3, "curl", [148, 103, 189]),
    ]

    /// Per curve, its values over the frames; nil without motion.
    var motionSeries: [[Double]]? {
        guard let motion = volume.motion, motion.shape[1] >= 4 else { return nil }
        let (frames, width) = (motion.shape[0], motion.shape[1])
        return Self.motionCurves.map { curve in (0..<frames).map { Double(motion.storage[$0 * width + curve.column]) } }
    }

    /// The axis half-range: the largest magnitude plotted (at least a small floor, so a still
    /// video draws flat lines in the middle).
    var motionRange: Double {
        max(1e-3, motionSeries?.flatMap { $0 }.map(abs).filter(\.isFinite).max() ?? 0)
    }

    /// The panel's y (0 top … height − 1 bottom) of `value`.
    func motionLevel(_ value: Double, height: Int) -> Double {
        let clipped = value.isFinite ? max(-motionRange, min(motionRange, value)) : 0
        return (1 - (clipped / motionRange + 1) / 2) * Double(height - 1)
    }

    /// RGB24 rows of the motion panel (a grey zero line, the four curves).
    func motionPixels() -> [UInt8] {
        let (w, h) = (Self.width, Self.motionHeight)
        var pixels = [UInt8](repeating: 255, count: w * h * 3)
        guard let series = motionSeries, let frames = series.first?.count, frames > 0 else { return pixels }
        for px in 0..<w {
            pixels.replaceSubrange(((h / 2) * w + px) * 3..<((h / 2) * w + px) * 3 + 3, with: [200, 200, 200])
        }
        for (curve, values) in zip(Self.motionCurves, series) {
            var last: Int?
            for px in 0..<w {
                let py = Int(motionLevel(values[min(frames - 1, px * frames / w)], height: h))
                // A vertical stroke from the previous column's level keeps the curve connected.
                for y in min(py, last ?? py)...max(py, last ?? py) {
                    pixels.replaceSubrange((y * w + px) * 3..<((y * w + px) * 3 + 3), with: curve.colour)
                }
                last = py
            }
        }
        return pixels
    }

    /// The SVG of the panel with its top at `top`, or "" without motion.
    func motionSVG(top: Int) -> String {
        guard let series = motionSeries, let frames = series.first?.count else { return "" }
        let (w, h) = (Self.width, Self.motionHeight)
        var lines = [
            "<rect x=\"40\" y=\"\(top)\" width=\"\(w)\" height=\"\(h)\" fill=\"none\" stroke=\"#888\"/>",
            "<line x1=\"40\" y1=\"\(top + h / 2)\" x2=\"\(w + 40)\" y2=\"\(top + h / 2)\" stroke=\"#ccc\"/>",
            "<text x=\"4\" y=\"\(top + 10)\">\(String(format: "%+.3g", motionRange))</text>",
            "<text x=\"4\" y=\"\(top + h)\">\(String(format: "%+.3g", -motionRange))</text>",
        ]
        for (index, (curve, values)) in zip(Self.motionCurves, series).enumerated() {
            let points = values.enumerated().map { t, value in
                let x = frames > 1 ? Double(t) * Double(w) / Double(frames - 1) : 0
                return String(format: "%.1f,%.1f", x + 40, Double(top) + motionLevel(value, height: h))
            }.joined(separator: " ")
            let colour = "rgb(\(curve.colour.map(String.init).joined(separator: ",")))"
            lines.append("<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(points)\"/>")
            lines.append(
                "<text x=\"\(50 + index * 110)\" y=\"\(top + h + 16)\" fill=\"\(colour)\">\(curve.name)</text>")
        }
        lines.append(
            "<text x=\"\(w / 2 + 40)\" y=\"\(top + h + 32)\" text-anchor=\"middle\">global motion: tx, ty (frame sizes/s), "
                + "divergence (zoom/s), curl (rad/s, clockwise &gt; 0)</text>")
        return lines.joined(separator: "\n") + "\n"
    }
}
