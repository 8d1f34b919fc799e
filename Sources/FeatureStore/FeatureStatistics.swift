// What `vidact features inspect` reports about a volume: shape, time span and spacing, per-
// dimension mean/std, NaN/Inf count, norm of each frame, and the cosine similarity of each pair of
// consecutive frames — a dip marks a scene change, a flat 1.0 a frozen or repeated picture.
//
// Shapes: T frames, D feature width; norms [T]; similarity [T-1].
import Foundation
import TensorCore

/// Summary numbers of one volume.
public struct FeatureStatistics: Sendable {
    public var frames: Int
    public var width: Int
    public var firstTime: Double
    public var lastTime: Double
    /// Smallest, median and largest gap between consecutive timestamps (nil for T = 1).
    public var spacing: (min: Double, median: Double, max: Double)?
    /// Per-dimension means and standard deviations (population).
    public var dimensionMeans: [Double]
    public var dimensionStds: [Double]
    /// Values that are NaN or ±infinity.
    public var nonFinite: Int
    /// Euclidean norm of each frame's vector.
    public var norms: [Double]
    /// Cosine similarity of frame t and t+1 (0 when either is the zero vector).
    public var similarity: [Double]

    public init(_ volume: FeatureVolume) {
        let (t, d) = (volume.frameCount, volume.width)
        frames = t
        width = d
        firstTime = volume.timestamps.first ?? 0
        lastTime = volume.timestamps.last ?? 0
        let gaps = zip(volume.timestamps.dropFirst(), volume.timestamps).map { $0 - $1 }.sorted()
        spacing = gaps.isEmpty ? nil : (gaps[0], gaps[gaps.count / 2], gaps[gaps.count - 1])
        var sums = [Double](repeating: 0, count: d)
        var squares = [Double](repeating: 0, count: d)
        var nonFinite = 0
        var norms = [Double](repeating: 0, count: t)
        let x = volume.features.storage
        for row in 0..<t {
            var norm = 0.0
            for col in 0..<d {
                let value = Double(x[row * d + col])
                guard value.isFinite else {
                    nonFinite += 1
                    continue
                }
                sums[col] += value
                squares[col] += value * value
                norm += value * value
            }
            norms[row] = norm.squareRoot()
        }
        self.nonFinite = nonFinite
        self.norms = norms
        dimensionMeans = sums.map { $0 / Double(t) }
        dimensionStds = zip(squares, dimensionMeans).map { max($0 / Double(t) - $1 * $1, 0).squareRoot() }
        similarity = (0..<max(t - 1, 0)).map { row in
            var dot = 0.0
            for col in 0..<d { dot += Double(x[row * d + col]) * Double(x[(row + 1) * d + col]) }
            let denominator = norms[row] * norms[row + 1]
            return denominator > 0 && dot.isFinite ? dot / denominator : 0
        }
    }

    /// The `count` lowest consecutive-frame similarities, as (index of the first frame, value).
    public func sharpestChanges(_ count: Int) -> [(index: Int, similarity: Double)] {
        similarity.enumerated().sorted { $0.element < $1.element }.prefix(count).map { ($0.offset, $0.element) }
    }

    /// `values` as a one-line sparkline of at most `columns` characters; each column shows the
    /// minimum of the values it covers, so a short dip is never averaged away.
    public static func sparkline(_ values: [Double], columns: Int = 80, range: ClosedRange<Double>? = nil) -> String {
        guard !values.isEmpty else { return "" }
        let bars = Array("▁▂▃▄▅▆▇█")
        let buckets = min(columns, values.count)
        let low = range?.lowerBound ?? (values.min() ?? 0)
        let high = range?.upperBound ?? (values.max() ?? 1)
        var line = ""
        for bucket in 0..<buckets {
            let from = bucket * values.count / buckets
            let to = max(from + 1, (bucket + 1) * values.count / buckets)
            let value = values[from..<to].min() ?? low
            let level = high > low ? (value - low) / (high - low) : 1
            line.append(bars[min(bars.count - 1, max(0, Int(level * Double(bars.count - 1) + 0.5)))])
        }
        return line
    }
}
