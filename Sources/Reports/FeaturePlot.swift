// The picture of `features inspect --plot`: the T×D volume as a heatmap (time left to right, one
// row per feature dimension, each dimension z-scored and clipped to ±2 so every dimension shows its
// own changes; blue low, white mean, red high), and under it the cosine similarity of consecutive
// frames on the same time axis. PNG is drawn pixel by pixel and encoded by libavcodec; SVG embeds
// the heatmap as a PNG and draws the curve and labels as vectors. Volumes with motion descriptors
// get a third panel, the global-motion curves (`FeaturePlot+Motion`).
import Basics
import FeatureStore
import Foundation
import VideoDecoding
import VideoEncoding

public struct FeaturePlot {
    let volume: FeatureVolume
    let stats: FeatureStatistics

    public init(volume: FeatureVolume, stats: FeatureStatistics) {
        self.volume = volume
        self.stats = stats
    }

    static let width = 800
    static let heatmapHeight = 256
    static let curveHeight = 120

    /// Writes the plot atomically: PNG when `path` ends in .png, SVG otherwise.
    public func write(to path: String) throws {
        let heatmap = try encodePNG(heatmapPixels(), width: Self.width, height: Self.heatmapHeight)
        let bytes: [UInt8]
        if path.hasSuffix(".png") {
            var pixels = heatmapPixels() + curvePixels()
            var height = Self.heatmapHeight + Self.curveHeight
            var separators = [Self.heatmapHeight]
            if motionSeries != nil {
                pixels += motionPixels()
                separators.append(height)
                height += Self.motionHeight
            }
            // Grey separator lines between the panels.
            for row in separators {
                for x in 0..<Self.width {
                    pixels.replaceSubrange(
                        (row * Self.width + x) * 3..<((row * Self.width + x) * 3 + 3), with: [128, 128, 128])
                }
            }
            bytes = try encodePNG(pixels, width: Self.width, height: height)
        } else {
            bytes = Array(svg(heatmapPNG: heatmap).utf8)
        }
        try AtomicFile.write(bytes, to: path)
    }

    /// RGB24 rows of the heatmap: x = time bucket, y = dimension bucket.
    func heatmapPixels() -> [UInt8] {
        let (t, d) = (stats.frames, stats.width)
        let (w, h) = (Self.width, Self.heatmapHeight)
        var pixels = [UInt8](repeating: 255, count: w * h * 3)
        let x = volume.features.storage
        for py in 0..<h {
            let d0 = py * d / h
            let d1 = max(d0 + 1, (py + 1) * d / h)
            for px in 0..<w {
                let row = min(t - 1, px * t / w)
                var z = 0.0
                for col in d0..<d1 {
                    let std = stats.dimensionStds[col]
                    let value = Double(x[row * d + col])
                    z += std > 0 && value.isFinite ? (value - stats.dimensionMeans[col]) / std : 0
                }
                let color = Self.diverging(z / Double(d1 - d0) / 2)
                pixels.replaceSubrange((py * w + px) * 3..<((py * w + px) * 3 + 3), with: color)
            }
        }
        return pixels
    }

    /// The similarity axis: from a little under the lowest value (at most 0.9, at least 0) to 1, so
    /// the dips of a steady video are visible.
    var curveFloor: Double { max(0, min(0.9, (stats.similarity.min() ?? 0) - 0.05)) }

    func curveLevel(_ value: Double) -> Double { max(0, min(1, (value - curveFloor) / (1 - curveFloor))) }

    /// RGB24 rows of the similarity panel (`curveFloor` at the bottom, 1 at the top).
    func curvePixels() -> [UInt8] {
        let (w, h) = (Self.width, Self.curveHeight)
        var pixels = [UInt8](repeating: 255, count: w * h * 3)
        guard !stats.similarity.isEmpty else { return pixels }
        for px in 0..<w {
            let index = min(stats.similarity.count - 1, px * stats.similarity.count / w)
            let level = curveLevel(stats.similarity[index])
            let top = Int((1 - level) * Double(h - 1))
            for py in top..<h {
                pixels.replaceSubrange(
                    (py * w + px) * 3..<((py * w + px) * 3 + 3), with: py == top ? [0, 0, 0] : [200, 210, 230])
            }
        }
        return pixels
    }

    func svg(heatmapPNG: [UInt8]) -> String {
        let (w, hh, ch) = (Self.width, Self.heatmapHeight, Self.curveHeight)
        let top = 30
        let curveTop = top + hh + 20
        let count = stats.similarity.count
        let points = stats.similarity.enumerated().map { index, value in
            let x = count > 1 ? Double(index) * Double(w) / Double(count - 1) : 0
            let y = Double(curveTop) + (1 - curveLevel(value)) * Double(ch)
            return String(format: "%.1f,%.1f", x + 40, y)
        }.joined(separator: " ")
        let name = (volume.info.sourcePath as NSString).lastPathComponent
        let title = "\(XML.escape(name)) — [\(stats.frames), \(stats.width)] \(volume.info.spec.key)"
        let motionTop = curveTop + ch + 50
        let motion = motionSVG(top: motionTop)
        let height = motion.isEmpty ? curveTop + ch + 40 : motionTop + Self.motionHeight + 40
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(w + 60)" height="\(height)" font-family="sans-serif" font-size="12">
            <text x="40" y="18">\(title)</text>
            <image x="40" y="\(top)" width="\(w)" height="\(hh)" preserveAspectRatio="none" href="data:image/png;base64,\(Data(heatmapPNG).base64EncodedString())"/>
            <text x="4" y="\(top + 12)">d=0</text><text x="4" y="\(top + hh)">d=\(stats.width - 1)</text>
            <rect x="40" y="\(curveTop)" width="\(w)" height="\(ch)" fill="none" stroke="#888"/>
            <polyline fill="none" stroke="#000" stroke-width="1" points="\(points)"/>
            <text x="4" y="\(curveTop + 10)">1.0</text><text x="4" y="\(curveTop + ch)">\(String(format: "%.2f", curveFloor))</text>
            <text x="40" y="\(curveTop + ch + 16)">\(String(format: "%.2f s", stats.firstTime))</text>
            <text x="\(w + 40)" y="\(curveTop + ch + 16)" text-anchor="end">\(String(format: "%.2f s", stats.lastTime))</text>
            <text x="\(w / 2 + 40)" y="\(curveTop + ch + 32)" text-anchor="middle">cosine similarity of consecutive frames</text>
            \(motion)</svg>

            """
    }

    private func encodePNG(_ pixels: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        try ImageEncoder(format: .png, width: width, height: height).encode(rgb: pixels)
    }

    /// -1 → blue, 0 → white, +1 → red.
    static func diverging(_ value: Double) -> [UInt8] {
        let v = max(-1, min(1, value))
        let fade = UInt8((1 - abs(v)) * 255)
        return v >= 0 ? [255, fade, fade] : [fade, fade, 255]
    }
}
