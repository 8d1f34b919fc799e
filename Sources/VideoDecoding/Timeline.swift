// The presentation timestamps of every frame of a stream and where its keyframes are, read by a
// demux-only pass (no decoding) before sampling. Sampling by time needs the whole span (uniform,
// segments) and seeking needs the keyframes; header counts and durations are not trusted for either.
// Streams whose packets carry no timestamps (raw elementary streams) fall back to a decode pass.
import CFFmpeg

struct Timeline {
    /// Presentation timestamps in stream ticks, ascending and unique; index = frame index.
    var ticks: [Int64]
    /// For each frame, the index of the keyframe to seek to so that decoding reaches it; nil when
    /// the timeline came from decoding and seeking is not possible. Demuxers index keyframes by
    /// presentation time (mov corrects its dts index for the edit list), so a backward seek to the
    /// keyframe's own timestamp lands on it.
    var keyframeOfFrame: [Int]?
    /// The frames whose packets are flagged as keyframes, ascending; nil when the timeline came
    /// from decoding (keyframe snapping then falls back to exact sampling).
    var keyframes: [Int]?
    /// How the stream splits into independently decodable segments; nil when it does not.
    var gopPlan: GOPPlan?

    var count: Int { ticks.count }

    func index(ofTicks value: Int64) -> Int? {
        var low = 0
        var high = ticks.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if ticks[mid] == value { return mid }
            if ticks[mid] < value { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    /// How far `FrameSource` may skip the pictures no frame of `wanted` needs: when every wanted
    /// frame is a keyframe (keyframe snapping, or an all-intra stream), none of the others is
    /// needed at all, not even as a reference (AVDISCARD_NONKEY); otherwise only pictures that
    /// nothing references (AVDISCARD_NONREF).
    func skipLevel(for wanted: Set<Int>) -> AVDiscard {
        guard let keyframes, !wanted.isEmpty, wanted.isSubset(of: keyframes) else { return AVDISCARD_NONREF }
        return AVDISCARD_NONKEY
    }

    /// Demuxes `path` without decoding and collects the chosen stream's packet timestamps.
    /// `reopening`: the input was probed before (see `Demuxer`); false only in tests.
    static func scan(
        input: VideoInput, streamIndex: Int, options: DecodeOptions, watchdog: Watchdog, reopening: Bool = true
    ) throws -> Timeline {
        let demuxer = try Demuxer(input: input, watchdog: watchdog, headerSuffices: reopening)
        for (i, entry) in demuxer.streams.enumerated() where i != streamIndex {
            entry?.pointee.discard = AVDISCARD_ALL
        }
        let packet = Packet()
        var entries: [(pts: Int64, key: Bool)] = []
        let rule = RandomAccessPoint.rule(for: demuxer.stream(streamIndex).pointee.codecpar)
        var cleanKeys: [Bool] = []
        var complete = true
        while try demuxer.read(into: packet) {
            let p = packet.pointer.pointee
            guard Int(p.stream_index) == streamIndex else { continue }
            if p.flags & AV_PKT_FLAG_DISCARD != 0 { continue }
            if p.pts == FFmpegCodes.noPTS {
                complete = false
                break
            }
            let key = p.flags & AV_PKT_FLAG_KEY != 0
            entries.append((p.pts, key))
            if let rule {
                cleanKeys.append(
                    key && RandomAccessPoint.isClean(UnsafeBufferPointer(start: p.data, count: Int(p.size)), rule: rule)
                )
            }
        }
        guard complete, !entries.isEmpty else {
            return try decoded(input: input, streamIndex: streamIndex, options: options, watchdog: watchdog)
        }
        var timeline = fromPackets(entries)
        if rule != nil {
            timeline.gopPlan = GOPPlan.split(
                zip(entries, cleanKeys).map { GOPPlan.Packet(pts: $0.0.pts, cleanKey: $0.1) })
        }
        return timeline
    }

    static func fromPackets(_ packets: [(pts: Int64, key: Bool)]) -> Timeline {
        let sorted = packets.sorted { $0.pts < $1.pts }
        var ticks: [Int64] = []
        var keyframe: [Int] = []
        var currentKey: Int?
        var keyframes: [Int] = []
        ticks.reserveCapacity(sorted.count)
        for entry in sorted where ticks.last != entry.pts {
            let index = ticks.count
            ticks.append(entry.pts)
            if entry.key {
                currentKey = index
                keyframes.append(index)
            }
            // Frames before the first keyframe (a stream that starts mid-GOP) can only be reached
            // from the start; frame 0 stands in for the start of the file.
            keyframe.append(currentKey ?? 0)
        }
        return Timeline(ticks: ticks, keyframeOfFrame: keyframe, keyframes: keyframes)
    }

    /// The slow path: decode everything once and record the frames' best-effort timestamps.
    static func decoded(
        input: VideoInput, streamIndex: Int, options: DecodeOptions, watchdog: Watchdog
    ) throws -> Timeline {
        let source = try FrameSource(input: input, streamIndex: streamIndex, options: options, watchdog: watchdog)
        var ticks: [Int64] = []
        while try source.next() {
            if ticks.last.map({ source.timestamp > $0 }) ?? true { ticks.append(source.timestamp) }
        }
        return Timeline(ticks: ticks, keyframeOfFrame: nil, keyframes: nil)
    }
}
