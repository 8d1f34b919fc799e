// Which frames to keep, as pure arithmetic on timestamps (seconds, ascending, one per frame in
// presentation order). No FFmpeg here, so the rules can be tested against an independent oracle
// fed with ffprobe's timestamps.
//
// Times are compared with a tolerance of `epsilon` seconds, so that a target that equals a frame's
// timestamp in exact arithmetic selects that frame despite floating-point rounding.

public enum FrameSampler {
    public static let epsilon = 1e-6

    /// Indices into `timestamps` of the frames to keep, in output order (ascending; an index repeats
    /// when one frame serves several targets).
    public static func select(_ sampling: Sampling, timestamps: [Double]) -> [Int] {
        let n = timestamps.count
        guard n > 0 else { return [] }
        switch sampling {
        case .all:
            return Array(0..<n)
        case .stride(let k):
            precondition(k > 0, "FrameSampler.select: stride \(k) must be positive")
            return Array(stride(from: 0, to: n, by: k))
        case .fps:
            return shown(at: targets(sampling, timestamps: timestamps) ?? [], timestamps: timestamps)
        case .uniform(let count), .segments(let count):
            precondition(count > 0, "FrameSampler.select: \(sampling) needs a positive count")
            return nearest(to: targets(sampling, timestamps: timestamps) ?? [], timestamps: timestamps)
        }
    }

    /// The target times of a sampling by time (fps, uniform, segments); nil for `all` and `stride`.
    public static func targets(_ sampling: Sampling, timestamps: [Double]) -> [Double]? {
        guard let first = timestamps.first, let last = timestamps.last else { return [] }
        let span = last - first
        switch sampling {
        case .all, .stride: return nil
        case .fps(let rate): return fpsTargets(rate, timestamps: timestamps)
        case .uniform(let count):
            return (0..<count).map { j in count == 1 ? first : first + Double(j) * span / Double(count - 1) }
        case .segments(let count):
            return (0..<count).map { j in first + (Double(j) + 0.5) * span / Double(count) }
        }
    }

    /// Keyframe snapping: each of `indices` (frames `select` chose, ascending) moves to the
    /// keyframe (an index of `keyframes`, ascending frame indices) nearest to it in time, the
    /// earlier one on a tie. Snapping the selected frame rather than the raw target time keeps an
    /// all-intra stream's frames exactly as they were (with fps sampling the two differ: the frame
    /// shown at t is the last one at or before t, not the nearest). Several frames may share a
    /// keyframe (it repeats, one frame per target).
    public static func snap(_ indices: [Int], timestamps: [Double], to keyframes: [Int]) -> [Int] {
        guard !keyframes.isEmpty else { return indices }
        let times = keyframes.map { timestamps[$0] }
        return nearest(to: indices.map { timestamps[$0] }, timestamps: times).map { keyframes[$0] }
    }

    /// t_k = t_0 + k / rate for every k with t_k ≤ the last timestamp.
    static func fpsTargets(_ rate: Double, timestamps: [Double]) -> [Double] {
        precondition(rate > 0 && rate.isFinite, "FrameSampler.select: fps \(rate) must be positive")
        guard let first = timestamps.first, let last = timestamps.last else { return [] }
        var targets: [Double] = []
        var k = 0
        while true {
            let t = first + Double(k) / rate
            if t > last + epsilon { break }
            targets.append(t)
            k += 1
        }
        return targets
    }

    /// For each ascending target, the last frame whose timestamp ≤ target.
    static func shown(at targets: [Double], timestamps: [Double]) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(targets.count)
        var j = 0
        for t in targets {
            while j + 1 < timestamps.count && timestamps[j + 1] <= t + epsilon { j += 1 }
            result.append(j)
        }
        return result
    }

    /// For each ascending target, the frame with the nearest timestamp (the earlier one on a tie).
    static func nearest(to targets: [Double], timestamps: [Double]) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(targets.count)
        var j = 0
        for t in targets {
            while j + 1 < timestamps.count && abs(timestamps[j + 1] - t) < abs(timestamps[j] - t) - epsilon {
                j += 1
            }
            result.append(j)
        }
        return result
    }
}
