// The decode loop of one stream: reads packets, feeds the decoder, drains it at end of file so no
// trailing frame is lost, skips and counts corrupt packets up to a budget, checks the watchdog and
// the pixel cap, and can restart from a keyframe after a seek.
import CFFmpeg

final class FrameSource {
    let demuxer: Demuxer
    let codec: CodecContext
    let streamIndex: Int
    let options: DecodeOptions
    /// The current decoded picture, valid after `next()` returns true.
    let frame = Frame()
    private let packet = Packet()
    private var draining = false
    private let secondsPerTick: Double
    private var lastTimestamp: Int64?
    private let nominalTicks: Int64

    /// Which pictures are wanted, by packet timestamp; nil: decode everything. The decoder skips
    /// the others at `skipLevel`: those no other picture references (AVDISCARD_NONREF), or, when
    /// only keyframes are wanted, every non-keyframe (AVDISCARD_NONKEY). A picture wanted only as a
    /// motion reference is decoded without its in-loop deblocking when nothing references it
    /// (`skip_loop_filter` AVDISCARD_NONREF), so no other picture changes.
    struct Plan {
        let timeline: Timeline
        let wanted: Set<Int>
        let referencesOnly: Set<Int>
        let skipLevel: AVDiscard

        init(timeline: Timeline, wanted: Set<Int>, referencesOnly: Set<Int> = []) {
            (self.timeline, self.wanted, self.referencesOnly) = (timeline, wanted, referencesOnly)
            skipLevel = timeline.skipLevel(for: wanted)
        }
    }
    var plan: Plan?

    /// With AVDISCARD_NONKEY, each wanted keyframe is drained out of the decoder as soon as it is
    /// sent (then the decoder is flushed and reading goes on): a decoder with a reordering delay
    /// would otherwise hold it back until the next decoded picture, which is the next keyframe,
    /// since everything between is skipped.
    private var drainPending = false
    private var drainingMidStream = false

    /// The timestamp of a keyframe where decoding stops as if the file ended there (the next
    /// segment's start, for `SegmentDecoder`); the packet is not decoded.
    var stopBeforeTicks: Int64?

    private(set) var decodedFrames = 0
    private(set) var corruptPackets = 0
    private(set) var corruptFrames = 0
    /// Set when reading stopped on an error rather than at end of file.
    private(set) var readErrors = 0

    init(input: VideoInput, streamIndex: Int?, options: DecodeOptions, watchdog: Watchdog) throws {
        // A known stream index means the input was probed before.
        demuxer = try Demuxer(input: input, watchdog: watchdog, headerSuffices: streamIndex != nil)
        let path = input.name
        let index = try streamIndex ?? VideoProbe.bestVideoStream(in: demuxer)
        self.streamIndex = index
        self.options = options
        let stream = demuxer.stream(index)
        codec = try CodecContext(stream: stream, threads: options.threads, path: path)
        let tb = stream.pointee.time_base
        secondsPerTick = tb.den == 0 ? 0 : Double(tb.num) / Double(tb.den)
        // Used only when a frame carries no timestamp at all: one nominal frame later than the last.
        let rate = stream.pointee.avg_frame_rate.num > 0 ? stream.pointee.avg_frame_rate : stream.pointee.r_frame_rate
        if rate.num > 0 && tb.num > 0 {
            nominalTicks = max(1, Int64((Double(tb.den) * Double(rate.den)) / (Double(tb.num) * Double(rate.num))))
        } else {
            nominalTicks = 1
        }
        // Only the chosen stream is demuxed; the others are dropped inside libavformat.
        for (i, entry) in demuxer.streams.enumerated() where i != index {
            entry?.pointee.discard = AVDISCARD_ALL
        }
    }

    var path: String { demuxer.path }

    func seconds(_ ticks: Int64) -> Double { Double(ticks) * secondsPerTick }

    /// The best-effort timestamp of the current frame in stream ticks; synthesised from the previous
    /// one when the stream has none.
    private(set) var timestamp: Int64 = 0

    /// Decodes the next picture into `frame`. Returns false when the stream is exhausted.
    func next() throws -> Bool {
        while true {
            if demuxer.watchdog.expired { throw demuxer.watchdog.timeoutError(path: path) }
            let code = codec.receive(into: frame)
            if code >= 0 {
                try accept()
                return true
            }
            if code == FFmpegCodes.eof {
                guard drainingMidStream else { return false }
                codec.flush()
                (draining, drainingMidStream) = (false, false)
                continue
            }
            if code != FFmpegCodes.again {
                try countCorrupt(code, "avcodec_receive_frame")
                continue
            }
            if draining { return false }
            try feed()
        }
    }

    /// Restarts decoding at the keyframe whose timestamp is `ticks`. Returns false when the
    /// container did not land exactly there (formats without an index, such as MPEG-TS, seek by
    /// estimate); the caller must then not trust this source's position.
    func seek(toKeyframe ticks: Int64) throws -> Bool {
        try demuxer.seek(stream: streamIndex, to: ticks)
        codec.flush()
        (draining, drainPending, drainingMidStream) = (false, false, false)
        lastTimestamp = nil
        while try demuxer.read(into: packet) {
            guard packet.streamIndex == streamIndex else { continue }
            let p = packet.pointer.pointee
            guard p.pts == ticks, p.flags & AV_PKT_FLAG_KEY != 0 else { return false }
            // The keyframe is decoded by the next call of `feed()`.
            hasPendingPacket = true
            return true
        }
        return false
    }

    /// A packet read by `seek(toKeyframe:)` that still has to be sent to the decoder.
    private var hasPendingPacket = false

    private func accept() throws {
        decodedFrames += 1
        let f = frame.pointer.pointee
        if f.decode_error_flags != 0 || f.flags & AV_FRAME_FLAG_CORRUPT != 0 { corruptFrames += 1 }
        if Int(f.width) * Int(f.height) > options.maxPixels {
            throw DecodeError(
                .tooLarge, path: path,
                "a frame is \(f.width)x\(f.height), over the cap of \(options.maxPixels) pixels")
        }
        var ts = f.best_effort_timestamp
        if ts == FFmpegCodes.noPTS { ts = f.pts }
        if ts == FFmpegCodes.noPTS { ts = (lastTimestamp ?? -nominalTicks) + nominalTicks }
        timestamp = ts
        lastTimestamp = ts
    }

    /// Reads packets until one of our stream is accepted by the decoder, or starts draining at the end.
    private func feed() throws {
        if drainPending {
            (drainPending, draining, drainingMidStream) = (false, true, true)
            _ = codec.send(nil)
            return
        }
        while true {
            let available = hasPendingPacket ? true : try demuxer.read(into: packet)
            hasPendingPacket = false
            guard available else {
                if demuxer.readError != nil { readErrors += 1 }
                draining = true
                _ = codec.send(nil)
                return
            }
            guard packet.streamIndex == streamIndex else { continue }
            if let stop = stopBeforeTicks, packet.pointer.pointee.pts == stop {
                packet.unref()
                draining = true
                _ = codec.send(nil)
                return
            }
            // The demuxer marks packets it knows are damaged (cut short by a truncated file, say);
            // they are still decoded, as the ffmpeg CLI does, but they count against the budget.
            if packet.pointer.pointee.flags & AV_PKT_FLAG_CORRUPT != 0 {
                try countCorrupt(FFmpegCodes.invalidData, "av_read_frame")
            }
            var wantedKeyframe = false
            if let plan {
                // One timeline lookup per packet; timestamps outside the timeline are never skipped.
                let pts = packet.pointer.pointee.pts
                let index = pts == FFmpegCodes.noPTS ? nil : plan.timeline.index(ofTicks: pts)
                let discard = index.map { !plan.wanted.contains($0) } ?? false
                codec.context.pointee.skip_frame = discard ? plan.skipLevel : AVDISCARD_DEFAULT
                wantedKeyframe = !discard && plan.skipLevel == AVDISCARD_NONKEY
                let light = index.map(plan.referencesOnly.contains) ?? false
                codec.context.pointee.skip_loop_filter = light ? AVDISCARD_NONREF : AVDISCARD_DEFAULT
            }
            let code = codec.send(packet)
            packet.unref()
            if code >= 0 || code == FFmpegCodes.again {
                drainPending = wantedKeyframe && code >= 0
                return
            }
            try countCorrupt(code, "avcodec_send_packet")
        }
    }

    private func countCorrupt(_ code: Int32, _ call: String) throws {
        if code == FFmpegCodes.noMemory {
            throw DecodeError(.ioError, path: path, "out of memory while decoding", call: call, code: code)
        }
        if code == FFmpegCodes.exit { throw demuxer.watchdog.timeoutError(path: path) }
        corruptPackets += 1
        if corruptPackets > options.corruptPacketBudget {
            throw DecodeError(
                .corruptData, path: path,
                "gave up after \(corruptPackets) packets failed to decode (budget \(options.corruptPacketBudget)); last: \(avErrorText(code))",
                call: call, code: code)
        }
    }
}
