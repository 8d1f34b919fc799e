// The extract step: the videos to do go through the extraction loop of `vidact features extract`
// (decode and CNN overlapped, batches across videos); each outcome becomes a run item and, when
// done, a catalog feature entry.
import Catalog
import Extraction
import FeatureStore
import Foundation

extension PipelineRunner {
    func extract(_ units: [PlanUnit], runID: String) throws -> [UnitOutcome] {
        let byName = Dictionary(uniqueKeysWithValues: dataset.videos.map { ($0.relativePath, $0) })
        let videos = units.compactMap { byName[$0.name] }
        let extraction = try FeatureExtraction(
            settings: config.extract.settings(toolVersion: toolVersion, calibrationIdentity: calibrationIdentity),
            store: store,
            backbone: config.extract.backbone, weightsPath: config.extract.weights,
            normalization: config.extract.normalization, weightsSHA256: weightsSHA256)
        let observer: ExtractionObserver? = log.format == .text ? ExtractionProgress() : nil
        let summary = try extraction.run(videos.map(\.path), observer: observer)
        var outcomes: [UnitOutcome] = []
        for (video, outcome) in zip(videos, summary.outcomes) {
            let started = Date(timeIntervalSinceNow: -outcome.seconds)
            let sha = (try? contentHash(video, record: false))
            switch outcome.status {
            case .done, .skipped:
                var decoded: Int?
                var header: Int?
                if let path = outcome.featurePath, let (info, shape) = try? FeatureFile.validate(path) {
                    decoded = info.decodedFrames
                    header = info.headerFrames
                    try catalog.recordFeatureEntry(
                        FeatureEntryRecord(
                            extractorKey: spec.key, videoSHA256: info.videoSHA256, path: path, frames: shape[0],
                            width: shape[1], dtype: info.spec.dtype.rawValue, created: Date()))
                }
                try record(
                    .extract, video.relativePath, runID: runID, started: started, reason: nil, fingerprint: sha,
                    decoded: decoded, header: header)
                outcomes.append(UnitOutcome(unit: video.relativePath, reason: nil))
            case .failed:
                let reason = outcome.reason ?? "failed"
                let kind = Self.failureKind(reason.split(separator: ":").first.map(String.init), errno: outcome.errno)
                try record(
                    .extract, video.relativePath, runID: runID, started: started, reason: reason, kind: kind,
                    fingerprint: sha)
                outcomes.append(UnitOutcome(unit: video.relativePath, reason: reason, errno: outcome.errno))
            }
        }
        return outcomes
    }
}
