// Writes a synthetic caption dataset (`vidact dataset synth --captions N`) or its probe set
// (`--captions-probe M`): renders every planned clip with `CaptionScene`, encodes it like the
// activity clips (`SyntheticDataset.encode`: H.264, intra-only, constant quantiser, mp4, written to
// a temporary name and renamed), `jobs` clips at a time, then writes the index files
// (`CaptionDataset+Index`). The same settings give byte-identical files whatever `jobs`.

import Dispatch
import TensorCore

/// What a caption dataset run wrote.
public struct CaptionDatasetSummary: Sendable {
    public var clips: Int
    /// Rows of captions.csv (0 for the probe set).
    public var captions: Int
    public var frames: Int
    /// The libavcodec encoder used (`libx264` normally).
    public var codec: String
}

/// Renders, encodes and indexes a caption dataset.
public enum CaptionDataset {
    /// Writes the clips of `plan` and its index files: captions.csv, captions_events.csv and
    /// README.md, or captions_probe.csv when `probe`. `progress(done, total, path)` is called after
    /// each clip, one call at a time.
    @discardableResult
    public static func write(
        _ plan: CaptionDatasetPlan, probe: Bool = false, jobs: Int = 1,
        progress: @escaping (Int, Int, String) -> Void = { _, _, _ in }
    ) throws -> CaptionDatasetSummary {
        precondition(jobs >= 1, "CaptionDataset.write: jobs \(jobs)")
        let settings = plan.settings
        let root = settings.directory
        try SyntheticDataset.makeFolder(root + (probe ? "/probe" : "/captions"))
        let clips = plan.clips
        let state = ClipProgress(total: clips.count, report: progress)
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(1, clips.count))) { worker in
            for index in stride(from: worker, to: clips.count, by: jobs) where !state.failed {
                do {
                    let frames = render(clips[index], settings: settings)
                    let codec = try SyntheticDataset.encode(
                        frames, width: settings.width, height: settings.height, fps: settings.fps,
                        to: root + "/" + clips[index].path)
                    state.finished(clips[index].path, codec: codec)
                } catch {
                    state.fail(error)
                }
            }
        }
        if let error = state.error { throw error }
        for (name, text) in probe ? [("captions_probe.csv", probeIndex(plan))] : indexFiles(plan) {
            try SyntheticDataset.writeText(text, to: root + "/" + name)
        }
        return CaptionDatasetSummary(
            clips: clips.count, captions: probe ? 0 : clips.reduce(0) { $0 + $1.captions.count },
            frames: clips.reduce(0) { $0 + $1.events.count * settings.framesPerEvent },
            codec: state.codec)
    }

    /// The frames of a planned clip (packed RGB24); a clip played backwards is its partner's
    /// frames in reverse order, exactly.
    public static func render(_ clip: PlannedCaptionClip, settings: CaptionDatasetSettings) -> [[UInt8]] {
        let frames = clip.scene.frames(
            clip.rendered.events, framesPerEvent: settings.framesPerEvent, width: settings.width,
            height: settings.height)
        return clip.playedBackwards ? frames.reversed() : frames
    }
}
