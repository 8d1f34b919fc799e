// Decodes one stream with several single-threaded decoders at once, each on its own segment of
// the stream (`GOPPlan`: runs of pictures that decode independently), and hands the converted
// frames out in presentation order.
//
// Why: sparse sampling decodes short runs from many keyframes. One frame-threaded decoder must
// flush its pipeline at every seek and then refill it, so its threads idle around each jump;
// separate decoders on separate GOPs share nothing and never wait for each other. Each worker
// also converts its own frames to RGB. On the 2-core machine this made 2 fps sampling of a 60 s
// 720p clip 1.25x faster than seeking one frame-threaded decoder (scripts/bench/decode). Decoding
// every frame is left to frame threading (see `FrameReader.startSegments`).
//
// Every frame is checked against the timeline before it is handed out: it must be the next
// wanted frame of its segment, and the decoder must have reported no damage. Anything else (a
// seek that did not land, a corrupt packet, a missing picture) marks the segment failed; the
// consumer then gets `.failed` after the frames that were checked, and `FrameReader` finishes the
// file with the ordinary sequential decoder, so damaged files behave exactly as before.
//
// Memory stays bounded: workers claim segments at most `window` ahead of the one being consumed,
// and a worker that is not on the consumer's segment waits while `budgetBytes` of frames are
// buffered.
import CFFmpeg

final class SegmentDecoder: @unchecked Sendable {
    /// A segment with frames to produce: unique timeline indices, ascending.
    struct Job {
        var segment: GOPPlan.Segment
        var wanted: [Int]
    }

    enum Output {
        case frame(RGBFrame)
        case end
        case failed
    }

    struct Setup {
        /// The file, its video stream and rotation.
        var info: VideoInfo
        var input: VideoInput
        var options: DecodeOptions
        var watchdog: Watchdog
        var timeline: Timeline
        var request: FrameRequest
        var workers: Int
        /// Frames wanted only as motion references (their deblocking may be skipped).
        var referencesOnly: Set<Int> = []
    }

    private final class Slot {
        var frames: [RGBFrame] = []
        var finished = false
        var failed = false
    }

    /// Frames buffered across segments before workers ahead of the consumer wait.
    static let budgetBytes = 64 << 20

    private let setup: Setup
    private let jobs: [Job]
    /// The stream's first timestamp in seconds, which each frame's `time` counts from.
    private let firstSeconds: Double
    private let window: Int
    private let monitor = Monitor()
    private var threads: [WorkerThread] = []
    // Guarded by `monitor`.
    private var slots: [Slot]
    private var nextJob = 0
    private var current = 0
    private var firstFailure: Int?
    private var bufferedBytes = 0
    private var cancelled = false
    private var decodedFrames = 0
    private var seeks = 0

    init(setup: Setup, jobs: [Job], firstSeconds: Double) {
        self.setup = setup
        self.jobs = jobs
        self.firstSeconds = firstSeconds
        window = 2 * setup.workers
        slots = jobs.map { _ in Slot() }
        var single = setup.options
        single.threads = 1
        let workerOptions = single
        for _ in 0..<setup.workers {
            // With no thread at all, the consumer sees the first segment fail and falls back.
            guard let thread = WorkerThread({ [self] in work(options: workerOptions) }) else { break }
            threads.append(thread)
        }
        if threads.isEmpty {
            slots.first?.finished = true
            slots.first?.failed = true
        }
    }

    /// The next frame in order; `.end` after the last, `.failed` when the segment being consumed
    /// could not be decoded as checked (every frame before it has been handed out).
    func next() -> Output {
        monitor.locked {
            while true {
                guard current < jobs.count else { return .end }
                let slot = slots[current]
                if !slot.frames.isEmpty {
                    let frame = slot.frames.removeFirst()
                    bufferedBytes -= frame.pixels.count
                    monitor.broadcast()
                    return .frame(frame)
                }
                if slot.failed { return .failed }
                if slot.finished {
                    current += 1
                    monitor.broadcast()
                    continue
                }
                monitor.wait()
            }
        }
    }

    /// Pictures decoded and seeks made so far, by all workers.
    var counters: (decoded: Int, seeks: Int) { monitor.locked { (decodedFrames, seeks) } }

    /// Stops the workers and waits for them; call once the frames are no longer wanted.
    func cancel() {
        monitor.locked {
            cancelled = true
            monitor.broadcast()
        }
        for thread in threads { thread.join() }
    }

    // MARK: workers

    private func work(options: DecodeOptions) {
        let converter = RGBConverter(request: setup.request, rotation: setup.info.rotation, path: setup.info.path)
        var source: FrameSource?
        var started = false
        while let index = claim() {
            var ok = false
            var decodedBefore = source?.decodedFrames ?? 0
            do {
                let job = jobs[index]
                if source == nil || (job.segment.startTicks == nil && started) {
                    source = try FrameSource(
                        input: setup.input, streamIndex: setup.info.streamIndex, options: options,
                        watchdog: setup.watchdog)
                    decodedBefore = 0
                }
                started = true
                if let source { ok = try decode(job, slot: index, source: source, converter: converter) }
            } catch {
                ok = false
            }
            let decoded = (source?.decodedFrames ?? 0) - decodedBefore
            monitor.locked {
                decodedFrames += decoded
                slots[index].finished = true
                slots[index].failed = !ok
                if !ok { firstFailure = min(firstFailure ?? index, index) }
                monitor.broadcast()
            }
        }
    }

    /// The next segment for a worker, or nil when there is none it should take.
    private func claim() -> Int? {
        monitor.locked {
            while !cancelled && nextJob < jobs.count && nextJob >= current + window { monitor.wait() }
            guard !cancelled, nextJob < jobs.count else { return nil }
            if let failed = firstFailure, nextJob > failed { return nil }
            nextJob += 1
            return nextJob - 1
        }
    }

    private func decode(_ job: Job, slot: Int, source: FrameSource, converter: RGBConverter) throws -> Bool {
        let timeline = setup.timeline
        if let start = job.segment.startTicks {
            monitor.locked { seeks += 1 }
            guard try source.seek(toKeyframe: start) else { return false }
        }
        source.stopBeforeTicks = job.segment.endTicks
        source.plan = FrameSource.Plan(
            timeline: timeline, wanted: Set(job.wanted), referencesOnly: setup.referencesOnly)
        let damage = { (source.corruptPackets, source.corruptFrames, source.readErrors) }
        let undamaged = damage()
        var next = 0
        var last = -1
        while next < job.wanted.count {
            guard try source.next(), damage() == undamaged else { return false }
            guard let index = timeline.index(ofTicks: source.timestamp), job.segment.frames.contains(index),
                index > last
            else { return false }
            last = index
            if index < job.wanted[next] { continue }
            // A wanted picture that never came out means this segment did not decode as planned.
            guard index == job.wanted[next] else { return false }
            next += 1
            let seconds = source.seconds(source.timestamp)
            let frame = try converter.convert(
                source.frame.pointer, index: index, timestamp: seconds, time: seconds - firstSeconds)
            guard push(frame, slot: slot) else { return false }
        }
        return true
    }

    /// Queues a checked frame; false when cancelled.
    private func push(_ frame: RGBFrame, slot: Int) -> Bool {
        monitor.locked {
            let bytes = frame.pixels.count
            while !cancelled && slot != current && bufferedBytes > 0 && bufferedBytes + bytes > Self.budgetBytes {
                monitor.wait()
            }
            guard !cancelled else { return false }
            slots[slot].frames.append(frame)
            bufferedBytes += bytes
            monitor.broadcast()
            return true
        }
    }
}
