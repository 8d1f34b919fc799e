// An independent, brute-force statement of the sampling rules of the decode issue, used as the
// oracle for `FrameSampler` and for `FrameReader` on real clips (fed with ffprobe's timestamps).
// It scans every frame for every target instead of walking two pointers.
@testable import VideoDecoding

enum ReferenceSampler {
    static let tolerance = 1e-6

    static func select(_ sampling: Sampling, _ ts: [Double]) -> [Int] {
        guard let first = ts.first, let last = ts.last else { return [] }
        switch sampling {
        case .all:
            return Array(ts.indices)
        case .stride(let k):
            return ts.indices.filter { $0 % k == 0 }
        case .fps(let x):
            var result: [Int] = []
            var k = 0
            while first + Double(k) / x <= last + tolerance {
                let target = first + Double(k) / x
                // The frame shown at the target: the last one whose timestamp is not after it.
                result.append(ts.indices.last { ts[$0] <= target + tolerance } ?? 0)
                k += 1
            }
            return result
        case .uniform(let n):
            return (0..<n).map { j in
                nearest(n == 1 ? first : first + (last - first) * Double(j) / Double(n - 1), ts)
            }
        case .segments(let n):
            let length = (last - first) / Double(n)
            return (0..<n).map { j in nearest(first + length * (Double(j) + 0.5), ts) }
        }
    }

    /// The index of the timestamp closest to `target`; the earliest among equally close ones.
    static func nearest(_ target: Double, _ ts: [Double]) -> Int {
        var best = 0
        for i in ts.indices where abs(ts[i] - target) < abs(ts[best] - target) - tolerance {
            best = i
        }
        return best
    }
}
