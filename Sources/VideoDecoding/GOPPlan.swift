// Splits a stream into segments that decode independently, so that several single-threaded
// decoders can work on different segments at once (`SegmentDecoder`). Pure math over the packets
// of the demux-only timeline pass, in decoding order.
//
// A cut before packet i is safe when
// - packet i is a keyframe that `RandomAccessPoint` calls clean (nothing after it references
//   anything before it), and
// - it separates the pictures in time too: every packet before it (in decoding order) is shown
//   before it, and every packet from it on is shown at or after it. That excludes open GOPs,
//   whose leading pictures follow the keyframe in decoding order but precede it on screen and
//   reference the previous GOP.
// Each segment then holds a contiguous run of timeline frames, and decoding it from its keyframe
// (the first from the start of the file) up to the next cut yields exactly those frames.

struct GOPPlan {
    struct Segment: Equatable {
        /// Timeline indices of the segment's frames.
        var frames: Range<Int>
        /// Timestamp of the keyframe to seek to; nil for the first segment, decoded from the start.
        var startTicks: Int64?
        /// Timestamp of the next segment's keyframe, where feeding stops; nil for the last.
        var endTicks: Int64?
    }

    /// One packet of the stream, in decoding order.
    struct Packet: Equatable {
        var pts: Int64
        /// Flagged as a keyframe and a clean random access point.
        var cleanKey: Bool
    }

    var segments: [Segment]

    /// Nil unless the stream splits into at least two segments: timestamps must be unique, since
    /// frames are matched to the timeline by timestamp.
    static func split(_ packets: [Packet]) -> GOPPlan? {
        let n = packets.count
        guard n > 1 else { return nil }
        var suffixMin = [Int64](repeating: .max, count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) { suffixMin[i] = min(packets[i].pts, suffixMin[i + 1]) }
        var cuts: [Int] = [0]
        var prefixMax = packets[0].pts
        for i in 1..<n {
            let p = packets[i]
            if p.cleanKey && prefixMax < p.pts && suffixMin[i] == p.pts { cuts.append(i) }
            prefixMax = max(prefixMax, p.pts)
        }
        guard cuts.count > 1 else { return nil }
        let unique = Set(packets.map(\.pts))
        guard unique.count == n else { return nil }
        // With safe cuts, the frames of segment k are the timeline indices from the number of
        // packets before its cut to the number before the next cut.
        var segments: [Segment] = []
        for (k, cut) in cuts.enumerated() {
            let end = k + 1 < cuts.count ? cuts[k + 1] : n
            segments.append(
                Segment(
                    frames: cut..<end, startTicks: k == 0 ? nil : packets[cut].pts,
                    endTicks: k + 1 < cuts.count ? packets[end].pts : nil))
        }
        return GOPPlan(segments: segments)
    }
}
