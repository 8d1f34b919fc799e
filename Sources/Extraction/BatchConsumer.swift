// The CNN side of the extraction loop: takes frames off the queue into batches (which may mix
// videos), runs the embedder on each full batch, appends each row to its video, and handles end
// markers once every frame before them has been embedded — writing the finished video's volume,
// or dropping a failed video's rows. Runs on the calling thread of `FeatureExtraction.run`.
//
// Shapes: B batch; rows [B, D] from the embedder; a video's volume [T, D].
import Basics
import FeatureStore
import Foundation
import TensorCore
import VideoDecoding

struct BatchConsumer {
    typealias Item = FeatureExtraction.Item

    /// The rows gathered so far for one video.
    private struct Rows {
        var values: [Float] = []
        var width = 0
        var timestamps: [Double] = []
        var frameIndices: [Int64] = []
        var motion: [Float] = []
    }

    let paths: [String]
    let spec: ExtractorSpec
    let settings: ExtractionSettings
    let store: FeatureStore
    let embedder: FrameEmbedder
    let observer: ExtractionObserver?
    let starts: VideoDispatcher
    private(set) var outcomes: [ExtractionOutcome?]
    private(set) var framesEmbedded = 0
    private var rows: [Int: Rows] = [:]
    private var pending: [(slot: Int, frame: RGBFrame, motion: [Float]?)] = []
    private var markers: [Item] = []

    init(
        paths: [String], spec: ExtractorSpec, settings: ExtractionSettings, store: FeatureStore,
        embedder: FrameEmbedder, observer: ExtractionObserver?, starts: VideoDispatcher
    ) {
        self.paths = paths
        self.spec = spec
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.observer = observer
        self.starts = starts
        outcomes = Array(repeating: nil, count: paths.count)
    }

    /// Drains `queue` until every producer is done. Throws when the CNN itself fails.
    mutating func consume(_ queue: BoundedQueue<Item>) throws {
        while let item = queue.pop() {
            if case .frame(let slot, let frame, let motion) = item {
                pending.append((slot, frame, motion))
                if pending.count == settings.batch { try flush() }
            } else {
                markers.append(item)
                if pending.isEmpty { handleMarkers() }
            }
        }
        try flush()
    }

    /// Embeds the pending frames, then handles the markers that were waiting for them.
    private mutating func flush() throws {
        if !pending.isEmpty {
            let features = try embedder.embed(pending.map(\.frame.pixels), pooling: settings.pooling)
            precondition(
                features.rank == 2 && features.shape[0] == pending.count,
                "BatchConsumer: embedder gave \(features.shape) for \(pending.count) pictures")
            let width = features.shape[1]
            for (row, entry) in pending.enumerated() {
                var video = rows[entry.slot] ?? Rows()
                video.width = width
                video.values += features.storage[(row * width)..<((row + 1) * width)]
                video.timestamps.append(entry.frame.time)
                video.frameIndices.append(Int64(entry.frame.frameIndex))
                video.motion += entry.motion ?? []
                rows[entry.slot] = video
            }
            framesEmbedded += pending.count
            observer?.framesEmbedded(pending.count)
            pending.removeAll(keepingCapacity: true)
        }
        handleMarkers()
    }

    private mutating func handleMarkers() {
        for marker in markers {
            switch marker {
            case .frame: preconditionFailure("BatchConsumer: a frame among the markers")
            case .skipped(let slot, let featurePath, let frames):
                end(slot, .skipped, frames: frames, reason: nil, featurePath: featurePath, path: paths[slot])
            case .failed(let slot, let reason, let errno):
                rows[slot] = nil
                end(slot, .failed, frames: nil, reason: reason, featurePath: nil, path: paths[slot], errno: errno)
            case .finished(let slot, let prepared, let stats, let headerFrames):
                write(slot, prepared: prepared, stats: stats, headerFrames: headerFrames)
            }
        }
        markers.removeAll()
    }

    private mutating func write(
        _ slot: Int, prepared: FeatureExtraction.Prepared, stats: DecodeStats, headerFrames: Int?
    ) {
        guard let video = rows.removeValue(forKey: slot) else {
            preconditionFailure("BatchConsumer: video \(paths[slot]) finished without rows")
        }
        let info = FeatureVolumeInfo(
            sourcePath: paths[slot], videoSHA256: prepared.sha256, spec: spec,
            decodedFrames: stats.timelineFrames ?? stats.framesDecoded, headerFrames: headerFrames,
            toolVersion: settings.toolVersion, created: FeatureStore.timestamp())
        let volume = FeatureVolume(
            features: Tensor(shape: [video.timestamps.count, video.width], storage: video.values),
            timestamps: video.timestamps, frameIndices: video.frameIndices,
            motion: settings.motion
                ? Tensor(shape: [video.timestamps.count, MotionDescriptor.width], storage: video.motion) : nil,
            info: info)
        do {
            let path = try store.write(volume)
            let notes = [prepared.note] + stats.snapNotes
            end(
                slot, .done, frames: volume.frameCount,
                reason: notes.compactMap { $0 }.joined(separator: "; ").nilIfEmpty,
                featurePath: path, path: paths[slot])
        } catch {
            end(
                slot, .failed, frames: nil, reason: "\(error)", featurePath: nil, path: paths[slot],
                errno: errnoOf(error))
        }
    }

    private mutating func end(
        _ slot: Int, _ status: ExtractionOutcome.Status, frames: Int?, reason: String?, featurePath: String?,
        path: String, errno: Int32? = nil
    ) {
        let outcome = ExtractionOutcome(
            path: path, status: status, featurePath: featurePath, frames: frames, reason: reason, errno: errno,
            seconds: Date().timeIntervalSince(starts.startTime(slot)))
        outcomes[slot] = outcome
        observer?.videoEnded(outcome)
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
