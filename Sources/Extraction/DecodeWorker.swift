// One decoder thread of the extraction loop: takes the next video, identifies it by content hash,
// skips it when a valid volume is cached, otherwise decodes its sampled frames into the queue and
// ends with a marker. Every failure becomes a `.failed` marker with a reason, never a crash.
import Basics
import FeatureStore
import Foundation
import VideoDecoding

final class DecodeWorker: @unchecked Sendable {
    // Immutable after init; the queue, store and hash cache are thread-safe.
    private let paths: [String]
    private let dispatcher: VideoDispatcher
    private let queue: BoundedQueue<FeatureExtraction.Item>
    private let store: FeatureStore
    private let hashes: VideoHashCache
    private let key: String
    private let settings: ExtractionSettings
    private let inputSize: Int
    private let observer: ExtractionObserver?

    init(
        paths: [String], dispatcher: VideoDispatcher, queue: BoundedQueue<FeatureExtraction.Item>,
        store: FeatureStore, hashes: VideoHashCache, key: String, settings: ExtractionSettings, inputSize: Int,
        observer: ExtractionObserver?
    ) {
        self.paths = paths
        self.dispatcher = dispatcher
        self.queue = queue
        self.store = store
        self.hashes = hashes
        self.key = key
        self.settings = settings
        self.inputSize = inputSize
        self.observer = observer
    }

    func run() {
        defer { queue.producerFinished() }
        while let slot = dispatcher.take() {
            let path = paths[slot]
            observer?.videoStarted(path)
            do {
                try process(slot: slot, path: path)
            } catch let error as DecodeError {
                let reason = "\(error.kind.rawValue): \(error.detail) — \(error.kind.advice)"
                queue.push(.failed(slot: slot, reason: reason, errno: error.errno))
            } catch let error as FeatureStoreError {
                queue.push(.failed(slot: slot, reason: error.detail, errno: error.errno))
            } catch {
                queue.push(.failed(slot: slot, reason: "\(error)", errno: errnoOf(error)))
            }
        }
    }

    private func process(slot: Int, path: String) throws {
        try InputGuard.check(path)
        let sha = try hashes.sha256(of: path).sha256
        var note: String?
        switch try store.lookup(key: key, videoSHA256: sha) {
        case .valid(let featurePath, let shape):
            queue.push(.skipped(slot: slot, featurePath: featurePath, frames: shape[0]))
            return
        case .quarantined(let reason, let movedTo):
            note = "an invalid earlier file was quarantined to \(movedTo) (\(reason))"
        case .missing: break
        }
        var options = settings.decode
        if options.threads == 0 {
            options.threads = max(1, ProcessInfo.processInfo.activeProcessorCount / settings.jobs)
        }
        let reader = try VideoReader(path: path, options: options, probe: .forDecoding).frames(settings.request)
        var motion = settings.motion ? MotionTracker() : nil
        var emitted = 0
        while let frame = try reader.next() {
            // The run failed and is no longer reading the queue.
            if dispatcher.isStopped { return }
            guard frame.width == inputSize && frame.height == inputSize else {
                throw DecodeError(
                    .invalidRequest, path: path,
                    "frames are \(frame.width)x\(frame.height); the CNN takes \(inputSize)x\(inputSize) "
                        + "(use --size \(inputSize)x\(inputSize) or --short-side S --crop \(inputSize))")
            }
            let descriptor = try motion?.next(frame)
            guard frame.isSample else { continue }
            queue.push(.frame(slot: slot, frame, motion: descriptor))
            emitted += 1
        }
        guard emitted > 0 else { throw DecodeError(.corruptData, path: path, "no frame could be decoded") }
        queue.push(
            .finished(
                slot: slot, FeatureExtraction.Prepared(sha256: sha, note: note), reader.stats,
                headerFrames: reader.info.headerFrameCount))
    }
}
