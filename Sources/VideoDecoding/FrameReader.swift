// Streams the sampled frames of one video as RGB24, one at a time, so memory does not grow with
// the video's length. Two strategies give the same frames:
// - `all` and `stride` decode straight through and choose frames as they come;
// - `fps`, `uniform` and `segments` first read the timeline (a demux-only pass), choose frame
//   indices with `FrameSampler`, then decode only what is needed: non-reference pictures that are
//   not wanted are skipped inside the decoder, and a gap that spans a keyframe is crossed by
//   seeking to that keyframe. When the stream splits into independently decodable GOPs
//   (`GOPPlan`), single-threaded decoders work on several of them at once (`SegmentDecoder`);
//   if a segment fails its checks, the sequential decoder takes over from there.
import CFFmpeg

public final class FrameReader {
    public let info: VideoInfo
    public let request: FrameRequest
    public private(set) var stats = DecodeStats()

    private var source: FrameSource
    private let options: DecodeOptions
    private let watchdog: Watchdog
    private let input: VideoInput
    /// Set when a seek misbehaved; from then on the file is decoded straight through.
    private var seekingFailed = false
    private let pipeline: ConversionPipeline
    private var decodingFinished = false
    private var deferredError: Error?
    private let timeline: Timeline?
    /// Timeline indices to emit, ascending, with repeats (and motion references, once each).
    private let wanted: [Int]
    private let wantedSet: Set<Int>
    /// Indices emitted only as motion references (`FrameRequest.motionReferences`).
    private let referencesOnly: Set<Int>
    private var cursor = 0
    private var position = -1
    /// The target of the last seek, until the first frame after it has been checked.
    private var seekedFor: Int?
    private var repeatFrame: RGBFrame?
    private var repeatsLeft = 0
    private var firstTimestamp: Double?
    /// Decodes segments side by side while set; nil when the file does not split or after a fallback.
    private var segments: SegmentDecoder?

    init(info: VideoInfo, input: VideoInput, request: FrameRequest, options: DecodeOptions, watchdog: Watchdog) throws {
        self.info = info
        self.input = input
        self.request = request
        self.options = options
        self.watchdog = watchdog
        try FrameReader.validate(request, path: info.path)
        source = try FrameSource(input: input, streamIndex: info.streamIndex, options: options, watchdog: watchdog)
        pipeline = ConversionPipeline(
            converter: RGBConverter(request: request, rotation: info.rotation, path: info.path))
        if request.sampling.needsTimeline {
            let scanned = try Timeline.scan(
                input: input, streamIndex: info.streamIndex, options: options, watchdog: watchdog)
            let seconds = scanned.ticks.map(source.seconds)
            timeline = scanned
            var samples = FrameSampler.select(request.sampling, timestamps: seconds)
            if request.snap == .keyframe {
                if let keyframes = scanned.keyframes, !keyframes.isEmpty {
                    samples = FrameSampler.snap(samples, timestamps: seconds, to: keyframes)
                    stats.coarseKeyframeInterval = FrameReader.coarseInterval(
                        keyframes.map { seconds[$0] },
                        targets: FrameSampler.targets(request.sampling, timestamps: seconds))
                } else {
                    stats.snapFallbacks = 1
                }
            }
            let references = request.motionReferences ? Set(samples.map { $0 - 1 }.filter { $0 >= 0 }) : []
            referencesOnly = references.subtracting(samples)
            wanted = (samples + referencesOnly).sorted()
            wantedSet = Set(wanted)
            firstTimestamp = seconds.first
            stats.timelineFrames = scanned.count
            if request.allowSeeking { installSkipping() }
            if let limit = options.maxDurationSeconds, let first = seconds.first, let last = seconds.last,
                last - first > limit
            {
                throw DecodeError(.tooLarge, path: info.path, "lasts \(last - first) s, over the cap of \(limit) s")
            }
            let workers = FrameReader.segmentWorkers(options)
            if request.allowSeeking && workers > 1, let plan = scanned.gopPlan {
                startSegments(plan: plan, timeline: scanned, workers: workers)
            }
        } else {
            timeline = nil
            wanted = []
            wantedSet = []
            referencesOnly = []
        }
    }

    deinit {
        segments?.cancel()
    }

    /// Decoders that `SegmentDecoder` runs side by side: the thread count asked for, as the
    /// frame-threaded decoder would use.
    static func segmentWorkers(_ options: DecodeOptions) -> Int {
        options.threads > 0 ? options.threads : CodecContext.onlineCores
    }

    /// Hands the wanted frames to a `SegmentDecoder` when they span at least two segments.
    /// Sparse sampling only: on the 2-core machine decoding every frame of 720p and 1080p H.264
    /// in segments was no faster than frame threading (two single-threaded decoders there run
    /// only ~1.55x as fast as one, as frame threading does, and the last segment runs alone),
    /// while sparse sampling gained 1.25x (fewer pipeline restarts than seeking a frame-threaded
    /// decoder, and GOP tails skipped in parallel).
    private func startSegments(plan: GOPPlan, timeline: Timeline, workers: Int) {
        let indices = wantedSet.sorted()
        var jobs: [SegmentDecoder.Job] = []
        var i = 0
        for segment in plan.segments {
            var inside: [Int] = []
            while i < indices.count && indices[i] < segment.frames.upperBound {
                inside.append(indices[i])
                i += 1
            }
            if !inside.isEmpty { jobs.append(SegmentDecoder.Job(segment: segment, wanted: inside)) }
        }
        guard jobs.count > 1 else { return }
        segments = SegmentDecoder(
            setup: SegmentDecoder.Setup(
                info: info, input: input, options: options, watchdog: watchdog, timeline: timeline, request: request,
                workers: workers, referencesOnly: referencesOnly),
            jobs: jobs, firstSeconds: firstTimestamp ?? 0)
        stats.segmentJobs = jobs.count
    }

    /// Pictures that no wanted frame depends on need not be reconstructed at all.
    private func installSkipping() {
        source.plan = timeline.map { FrameSource.Plan(timeline: $0, wanted: wantedSet, referencesOnly: referencesOnly) }
    }

    /// The mean interval between `keyframes` (seconds) when it exceeds the mean interval between
    /// `targets`, else nil.
    private static func coarseInterval(_ keyframes: [Double], targets: [Double]?) -> Double? {
        guard let targets, targets.count >= 2, let first = keyframes.first, let last = keyframes.last else {
            return nil
        }
        let targetSpan = (targets.last ?? 0) - (targets.first ?? 0)
        // One keyframe: at least the whole span between the targets.
        let keyInterval = keyframes.count >= 2 ? (last - first) / Double(keyframes.count - 1) : targetSpan
        let targetInterval = targetSpan / Double(targets.count - 1)
        return keyInterval > targetInterval + FrameSampler.epsilon ? keyInterval : nil
    }

    private static func validate(_ request: FrameRequest, path: String) throws {
        func fail(_ text: String) -> DecodeError { DecodeError(.invalidRequest, path: path, text) }
        if request.snap == .keyframe, !request.sampling.needsTimeline {
            throw fail("keyframe snapping needs sampling by time (fps, uniform or segments), not \(request.sampling)")
        }
        if request.snap == .keyframe, request.motionReferences {
            // The frame before a keyframe ends the previous GOP: decoding it costs what snapping saves.
            throw fail("motion descriptors need exact sampling (the frame before each sample), not keyframe snapping")
        }
        switch request.sampling {
        case .all: break
        case .stride(let k): if k < 1 { throw fail("stride must be at least 1, not \(k)") }
        case .fps(let x): if !(x > 0 && x.isFinite) { throw fail("fps must be a positive number, not \(x)") }
        case .uniform(let n), .segments(let n): if n < 1 { throw fail("frame count must be at least 1, not \(n)") }
        }
        switch request.geometry {
        case .native: break
        case .size(let w, let h): if w < 1 || h < 1 { throw fail("size must be positive, not \(w)x\(h)") }
        case .shortSide(let s, let crop):
            if s < 1 { throw fail("short side must be positive, not \(s)") }
            if let crop, crop < 1 { throw fail("crop must be positive, not \(crop)") }
        }
    }

    /// A decoded picture to emit (now in `source.frame`): its frame index, timestamp in seconds,
    /// and how many consecutive targets it serves.
    private typealias Decoded = (index: Int, seconds: Double, repeats: Int)

    /// The next sampled frame (or, with `motionReferences`, the reference frame before it, marked
    /// `isSample == false`), or nil when the video is done.
    public func next() throws -> RGBFrame? {
        guard var frame = try nextFrame() else { return nil }
        frame.isSample = isSample(frame.frameIndex)
        return frame
    }

    /// Whether frame `index` was sampled (rather than emitted as a motion reference only).
    private func isSample(_ index: Int) -> Bool {
        guard request.motionReferences else { return true }
        if timeline != nil { return !referencesOnly.contains(index) }
        if case .stride(let k) = request.sampling { return index % k == 0 }
        return true
    }

    private func nextFrame() throws -> RGBFrame? {
        if repeatsLeft > 0, let frame = repeatFrame {
            repeatsLeft -= 1
            stats.framesEmitted += 1
            return frame
        }
        if let decoder = segments {
            let output = decoder.next()
            let counters = decoder.counters
            stats.framesDecoded = counters.decoded
            stats.seeks = counters.seeks
            switch output {
            case .frame(let frame):
                var repeats = 0
                while cursor < wanted.count && wanted[cursor] <= frame.frameIndex {
                    if wanted[cursor] == frame.frameIndex { repeats += 1 }
                    cursor += 1
                }
                repeatFrame = frame
                repeatsLeft = max(1, repeats) - 1
                stats.framesEmitted += 1
                return frame
            case .end:
                decoder.cancel()
                segments = nil
                decodingFinished = true
                return nil
            case .failed:
                // The sequential decoder finishes the file from the first wanted frame not handed out.
                decoder.cancel()
                segments = nil
                stats.segmentFallbacks += 1
                restartedCounters = stats
                position = -1
            }
        }
        // Decode ahead while earlier pictures are being converted on the pipeline's thread. A decode
        // error is raised only after the pictures decoded before it have been handed out.
        do {
            while !decodingFinished && !pipeline.isFull {
                guard let item = try timeline == nil ? nextStreaming() : nextPlanned() else {
                    decodingFinished = true
                    break
                }
                let first = firstTimestamp ?? item.seconds
                try pipeline.submit(
                    source.frame, index: item.index, timestamp: item.seconds, time: item.seconds - first,
                    repeats: item.repeats, path: info.path)
            }
        } catch {
            decodingFinished = true
            deferredError = error
        }
        refreshCounters()
        guard let job = pipeline.takeOldest() else {
            if let error = deferredError {
                deferredError = nil
                throw error
            }
            return nil
        }
        let frame = try job.wait()
        repeatFrame = frame
        repeatsLeft = job.repeats - 1
        stats.framesEmitted += 1
        return frame
    }

    private func refreshCounters() {
        let before = restartedCounters ?? DecodeStats()
        stats.framesDecoded = before.framesDecoded + source.decodedFrames
        stats.corruptPackets = before.corruptPackets + source.corruptPackets
        stats.corruptFrames = before.corruptFrames + source.corruptFrames
        stats.readErrors = before.readErrors + source.readErrors
    }

    // MARK: all / stride

    private func nextStreaming() throws -> Decoded? {
        let every: Int
        if case .stride(let k) = request.sampling { every = k } else { every = 1 }
        while try source.next() {
            position += 1
            let seconds = source.seconds(source.timestamp)
            if firstTimestamp == nil { firstTimestamp = seconds }
            try checkDuration(seconds)
            if position % every == 0 { return (position, seconds, 1) }
            // The motion reference of the next stride sample.
            if request.motionReferences && every > 1 && position % every == every - 1 { return (position, seconds, 1) }
        }
        return nil
    }

    private func checkDuration(_ seconds: Double) throws {
        guard let limit = source.options.maxDurationSeconds, let first = firstTimestamp else { return }
        if seconds - first > limit {
            throw DecodeError(.tooLarge, path: info.path, "lasts more than the cap of \(limit) s")
        }
    }

    // MARK: fps / uniform / segments

    private func nextPlanned() throws -> Decoded? {
        guard let timeline else { return nil }
        while cursor < wanted.count {
            let target = wanted[cursor]
            try skipAhead(to: target, timeline: timeline)
            guard try source.next() else {
                stats.missingFrames += wanted.count - cursor
                cursor = wanted.count
                break
            }
            guard let index = timeline.index(ofTicks: source.timestamp) else {
                stats.unmatchedFrames += 1
                continue
            }
            if seekedFor != nil {
                seekedFor = nil
                // A seek that skipped its target (e.g. leading pictures of an open GOP were
                // dropped) is not trusted: start again from the top without seeking.
                if index > target {
                    try restartWithoutSeeking()
                    continue
                }
            }
            position = max(position, index)
            if index < target { continue }
            while cursor < wanted.count && wanted[cursor] < index {
                stats.missingFrames += 1
                cursor += 1
            }
            guard cursor < wanted.count, wanted[cursor] == index else { continue }
            var repeats = 0
            while cursor < wanted.count && wanted[cursor] == index {
                repeats += 1
                cursor += 1
            }
            return (index, source.seconds(source.timestamp), repeats)
        }
        return nil
    }

    /// Seeks when the keyframe needed for `target` lies beyond what the decoder has reached.
    private func skipAhead(to target: Int, timeline: Timeline) throws {
        guard request.allowSeeking, !seekingFailed, let keyframes = timeline.keyframeOfFrame else { return }
        let keyframe = keyframes[target]
        // A short gap is cheaper to decode through than to restart the decoder's thread pipeline.
        guard keyframe > position + FrameReader.minimumSkip else { return }
        stats.seeks += 1
        guard try source.seek(toKeyframe: timeline.ticks[keyframe]) else {
            try restartWithoutSeeking()
            return
        }
        seekedFor = target
        position = keyframe - 1
    }

    /// Reopens the file and decodes from the start, skipping frames already emitted.
    private func restartWithoutSeeking() throws {
        seekingFailed = true
        seekedFor = nil
        refreshCounters()
        let spent = stats
        source = try FrameSource(input: input, streamIndex: info.streamIndex, options: options, watchdog: watchdog)
        installSkipping()
        position = -1
        restartedCounters = spent
    }

    /// Counters of decoders that were replaced by `restartWithoutSeeking`.
    private var restartedCounters: DecodeStats?

    /// Frames a seek must skip to be worth it. A seek throws away the pictures in flight in the
    /// frame-threaded decoder and unwanted non-reference pictures are skipped anyway, so only gaps
    /// of a few reference pictures pay; on the 720p benchmark clip 2–4 decoded the fewest frames.
    static let minimumSkip = 4
}
