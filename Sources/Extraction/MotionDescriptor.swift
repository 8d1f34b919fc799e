// The per-frame motion descriptor stored as `motion` [T, 43] beside the appearance features: how
// the picture moved from the frame just before each sampled frame (the previous decoded frame,
// Δt = one frame interval) to it, from the block vectors of `MotionEstimator` (FFmpeg's
// `mestimate`, 8 × 8 blocks on the grey 224 × 224 picture the CNN sees). The frame before is
// decoded without its in-loop deblocking when no other picture references it (a B-frame, usually):
// it is only measured against, never shown to the CNN, and skipping the filter there cut what
// motion adds to extraction at `fps: 1` from about 33 % to about 29 % (scripts/bench/motion-cost).
//
// Units: lengths are fractions of the frame size S = √(W·H) (224 px for the CNN's crops), rates are
// per second (divided by Δt). Coordinates: x right, y down, origin at the frame centre.
//
// Smoothing: the block vectors are first median-filtered, each component over the 5 × 5 blocks
// around a block (fewer at the borders). Block matching is ambiguous on flat and repetitive texture
// (a brick wall): there it returns scattered wrong vectors that would read as object motion
// everywhere (on the real-photo motion set, 26–58 % of a brick wall's blocks "moved" against 4–12 %
// elsewhere; 1–13 % after the filter). A median over a linear field returns its centre value, so
// camera motion is unchanged. A moving region survives where it is at least 3 blocks (24 px)
// thick, less about one block at each corner; narrower moving things are filtered out.
//
// Global (camera) motion: a robust affine fit of the block displacements d = (u, v),
//   u = a0 + a1·x + a2·y,  v = b0 + b1·x + b2·y   (x, y, u, v in units of S)
// by least squares, refitted three times on the blocks whose residual is within 2.5 robust
// standard deviations (1.4826 × median, at least 0.5 px) of the fit.
//   0 tx         a0 / Δt         content translation to the right, S per second
//   1 ty         b0 / Δt         content translation downwards, S per second
//   2 divergence (a1 + b2)/2 / Δt  relative expansion per second (zoom in > 0)
//   3 curl       (b1 − a2)/2 / Δt  rotation, radians per second, clockwise on screen > 0
//   4 shear+     (a1 − b2)/2 / Δt  stretch along x against y
//   5 shear×     (a2 + b1)/2 / Δt  stretch along the diagonals
// Residual (object) motion r = d − fit, as a magnitude-weighted histogram of orientations (HOF):
//   6…37  2 × 2 cells (row-major: top-left, top-right, bottom-left, bottom-right) × 8 directions
//         (bin k covers k·45° ± 22.5°, angle atan2(r_y, r_x): 0 right, 2 down, 4 left, 6 up); each
//         value is Σ |r| / Δt over the cell's blocks in that direction, divided by the cell's
//         block count (S per second)
// Magnitude statistics:
//   38 mean |d| / Δt   39 mean |r| / Δt   40 90th percentile of |r| / Δt   (S per second)
//   41 fraction of blocks with |r| > 1 px (the moving-object area)
//   42 fraction of blocks the global fit kept (inliers)
// Every value is 0 when there is no motion to measure: the first frame of a stream, a frame whose
// predecessor was not decoded (a one-frame clip, a still image), Δt ≤ 0, or a picture smaller
// than one block.
import Foundation
import VideoDecoding

/// The motion descriptor of a sampled frame.
public enum MotionDescriptor {
    /// Names the descriptor in extractor specs; bump it when any value changes.
    public static let version = "mestimate-epzs8-median5-v3"
    public static let width = 43
    public static let names: [String] =
        ["tx", "ty", "divergence", "curl", "shear_plus", "shear_cross"]
        + (0..<4).flatMap { cell in (0..<8).map { "hof_c\(cell)_d\($0)" } }
        + ["mean_flow", "mean_residual", "p90_residual", "moving_fraction", "inlier_fraction"]

    /// The descriptor of `vectors` (pixels, between pictures `width` × `height` taken `seconds` apart).
    public static func compute(_ vectors: [BlockMotion], width: Int, height: Int, seconds: Double) -> [Float] {
        var out = [Float](repeating: 0, count: Self.width)
        guard !vectors.isEmpty, seconds > 0, width > 0, height > 0 else { return out }
        let vectors = medianFiltered(vectors)
        let size = (Double(width) * Double(height)).squareRoot()
        let points = vectors.map { v in
            Point(
                x: (Double(v.x) - Double(width) / 2) / size, y: (Double(v.y) - Double(height) / 2) / size,
                u: Double(v.dx) / size, v: Double(v.dy) / size)
        }
        let fit = AffineFit(points, robustFloor: 0.5 / size)
        let rate = 1 / seconds
        let (a, b) = (fit.u, fit.v)
        let global = [a[0], b[0], (a[1] + b[2]) / 2, (b[1] - a[2]) / 2, (a[1] - b[2]) / 2, (a[2] + b[1]) / 2]
        for (i, value) in global.enumerated() { out[i] = Float(value * rate) }
        var residuals: [Double] = []
        var cellCounts = [Double](repeating: 0, count: 4)
        for (point, vector) in zip(points, vectors) {
            let (rx, ry) = fit.residual(point)
            let magnitude = (rx * rx + ry * ry).squareRoot()
            residuals.append(magnitude)
            let cell = (vector.y * 2 >= height ? 2 : 0) + (vector.x * 2 >= width ? 1 : 0)
            cellCounts[cell] += 1
            guard magnitude > 0 else { continue }
            let angle = atan2(ry, rx)
            let bin = (Int(((angle + .pi / 8) / (.pi / 4)).rounded(.down)) % 8 + 8) % 8
            out[6 + cell * 8 + bin] += Float(magnitude * rate)
        }
        for cell in 0..<4 where cellCounts[cell] > 0 {
            for bin in 0..<8 { out[6 + cell * 8 + bin] /= Float(cellCounts[cell]) }
        }
        let count = Double(points.count)
        out[38] = Float(points.map { ($0.u * $0.u + $0.v * $0.v).squareRoot() }.reduce(0, +) / count * rate)
        out[39] = Float(residuals.reduce(0, +) / count * rate)
        out[40] = Float(percentile(residuals, 0.9) * rate)
        out[41] = Float(Double(residuals.filter { $0 * size > 1 }.count) / count)
        out[42] = Float(fit.inlierFraction)
        return out
    }

    /// Each vector's components replaced by their medians over the 5 × 5 blocks around it.
    /// `vectors` are a full grid in row-major order (as `MotionEstimator` gives them); anything
    /// else is returned unchanged.
    static func medianFiltered(_ vectors: [BlockMotion], radius: Int = 2) -> [BlockMotion] {
        let columns = Set(vectors.map(\.x)).count
        let rows = vectors.count / max(columns, 1)
        guard columns * rows == vectors.count,
            vectors.indices.allSatisfy({
                vectors[$0].x == vectors[$0 % columns].x && vectors[$0].y == vectors[$0 / columns * columns].y
            })
        else { return vectors }
        var (xs, ys) = ([Int](), [Int]())
        return vectors.indices.map { i in
            let (column, row) = (i % columns, i / columns)
            xs.removeAll(keepingCapacity: true)
            ys.removeAll(keepingCapacity: true)
            for r in max(0, row - radius)...min(rows - 1, row + radius) {
                for c in max(0, column - radius)...min(columns - 1, column + radius) {
                    xs.append(vectors[r * columns + c].dx)
                    ys.append(vectors[r * columns + c].dy)
                }
            }
            xs.sort()
            ys.sort()
            var filtered = vectors[i]
            (filtered.dx, filtered.dy) = (xs[xs.count / 2], ys[ys.count / 2])
            return filtered
        }
    }

    /// A block's centre and displacement, in units of the frame size.
    struct Point {
        var x: Double
        var y: Double
        var u: Double
        var v: Double
    }

    /// The `fraction` quantile of `values` (nearest rank).
    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(sorted.count - 1, max(0, rank))]
    }
}
