// The extraction loop: videos in, one feature file per video out, with decoding and the CNN
// overlapped. `jobs` decoder threads each take the next video, hash it, skip it when its volume is
// already cached, and otherwise push its sampled frames into a bounded queue; the calling thread
// takes frames off the queue in batches that may span videos, runs the CNN, and appends each row
// to its video. A video's end marker follows its frames in the queue, so when the batch holding
// its last frames has run, its volume is complete and is written atomically. A video that fails
// (bad file, decode error, timeout) is reported with its reason and its rows are dropped; the run
// goes on; a failure of the run itself (the CNN, the workdir) stops the decoder threads before it
// is thrown. Memory: at most `2 × batch` decoded frames in flight, plus the rows (T × D floats) of
// the videos being decoded.
//
// `vidact features extract` and the pipeline's extract step both build it with
// `init(settings:store:backbone:weightsPath:normalization:cnnThreads:weightsSHA256:)`.
import ConvNets
import FeatureStore
import Foundation
import TensorCore
import VideoDecoding

/// Runs extraction over a list of videos into a feature store.
public final class FeatureExtraction {
    public let settings: ExtractionSettings
    public let store: FeatureStore
    public let hashes: VideoHashCache
    public let spec: ExtractorSpec
    private let embedder: FrameEmbedder

    public init(settings: ExtractionSettings, store: FeatureStore, embedder: FrameEmbedder, weightsSHA256: String) {
        self.settings = settings
        self.store = store
        self.embedder = embedder
        hashes = VideoHashCache(workdir: store.workdir)
        spec = settings.spec(embedder: embedder, weightsSHA256: weightsSHA256)
    }

    /// The extraction of `settings` into `store` with `backbone`'s network loaded from
    /// `weightsPath` (normalised with `normalization`, default the backbone's own, on `cnnThreads`
    /// oneDNN threads, default all). `weightsSHA256`, when the caller has hashed the file already,
    /// saves hashing it again; it names the weights in the extractor key.
    public convenience init(
        settings: ExtractionSettings, store: FeatureStore, backbone: Backbone, weightsPath: String,
        normalization: InputNormalization? = nil, cnnThreads: Int? = nil, weightsSHA256: String? = nil
    ) throws {
        let embedder = try BackboneEmbedder(
            backbone: backbone, weightsPath: weightsPath, normalization: normalization, threads: cnnThreads,
            precision: settings.precision)
        let sha = try weightsSHA256 ?? ContentHash.sha256(path: weightsPath)
        self.init(settings: settings, store: store, embedder: embedder, weightsSHA256: sha)
    }

    /// Messages from decoder threads to the CNN loop, in order per video.
    enum Item {
        /// A sampled frame and, when the settings ask for motion, its `MotionDescriptor`.
        case frame(slot: Int, RGBFrame, motion: [Float]?)
        case finished(slot: Int, Prepared, DecodeStats, headerFrames: Int?)
        case skipped(slot: Int, featurePath: String, frames: Int)
        case failed(slot: Int, reason: String, errno: Int32?)
    }

    /// A video that needs computing.
    struct Prepared {
        var sha256: String
        var note: String?
    }

    /// Extracts every video of `paths` (files; folders are expanded by the caller). Throws only for
    /// failures of the run itself (the CNN, the workdir); a video's failure is an outcome.
    public func run(_ paths: [String], observer: ExtractionObserver? = nil) throws -> ExtractionSummary {
        let start = Date()
        store.sweepTemporaries()
        try store.recordUse(of: spec)
        observer?.started(total: paths.count)
        let queue = BoundedQueue<Item>(capacity: 2 * settings.batch, producers: settings.jobs)
        let dispatcher = VideoDispatcher(count: paths.count)
        var threads: [Thread] = []
        for _ in 0..<settings.jobs {
            let worker = DecodeWorker(
                paths: paths, dispatcher: dispatcher, queue: queue, store: store, hashes: hashes, key: spec.key,
                settings: settings, inputSize: embedder.inputSize, observer: observer)
            let thread = Thread { worker.run() }
            thread.stackSize = 4 << 20
            thread.start()
            threads.append(thread)
        }
        var consumer = BatchConsumer(
            paths: paths, spec: spec, settings: settings, store: store, embedder: embedder, observer: observer,
            starts: dispatcher)
        defer { try? hashes.save() }
        do {
            try consumer.consume(queue)
        } catch {
            // The CNN or the workdir failed. Stop the decoder threads (each drops the video in hand
            // at its next frame) and take what they push until the last one has ended, so none is
            // left blocked on the full queue with its file open after the run.
            dispatcher.stop()
            while queue.pop() != nil {}
            throw error
        }
        let summary = ExtractionSummary(
            key: spec.key,
            outcomes: consumer.outcomes.map { outcome in
                guard let outcome else { preconditionFailure("FeatureExtraction: a video ended without an outcome") }
                return outcome
            }, seconds: Date().timeIntervalSince(start),
            framesEmbedded: consumer.framesEmbedded)
        observer?.finished(summary)
        return summary
    }
}

/// Hands out video indices to decoder threads and remembers when each started; once stopped, it
/// hands out none and tells the threads to drop the video they are decoding.
final class VideoDispatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int
    private var startTimes: [Int: Date] = [:]
    private var stopped = false

    init(count: Int) { self.count = count }

    func take() -> Int? {
        lock.withLock {
            guard next < count && !stopped else { return nil }
            defer { next += 1 }
            startTimes[next] = Date()
            return next
        }
    }

    func startTime(_ slot: Int) -> Date { lock.withLock { startTimes[slot] ?? Date() } }

    func stop() { lock.withLock { stopped = true } }

    var isStopped: Bool { lock.withLock { stopped } }
}
