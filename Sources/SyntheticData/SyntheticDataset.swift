// Writes a synthetic activity dataset (`vidact dataset synth`): renders every planned clip with
// `SyntheticScene`, encodes it with `VideoEncoder` (H.264 in mp4), then writes the index files
// (classInd.txt, trainlist01.txt, testlist01.txt, manifest.csv, segments.csv,
// segments_manifest.csv, README.md). Every file is written to a temporary name and renamed, so a
// killed run leaves only whole files (and possibly dot-named temporaries). The same settings give
// byte-identical files.

import Basics
import Foundation
import SafeTensors
import TensorCore
import VideoDecoding
import VideoEncoding

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a dataset could not be written; names the file and what to do.
public struct SyntheticDatasetError: VidactError, CustomStringConvertible {
    public var path: String
    public var detail: String

    public init(path: String, _ detail: String) {
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }
}

/// What a synthetic dataset run wrote.
public struct SyntheticDatasetSummary: Sendable {
    public var clips: Int
    public var multiClips: Int
    public var frames: Int
    /// The libavcodec encoder used (`libx264` normally).
    public var codec: String
}

/// Renders, encodes and indexes a synthetic dataset.
public enum SyntheticDataset {
    /// x264's constant quantiser for the clips. Clips are intra-only, so a picture decodes to the
    /// same pixels wherever it sits: a pair's partner clips decode to exactly the same frame set,
    /// and encoding artefacts cannot reveal the order either.
    public static let quantiser = 16

    /// Writes the dataset `plan` describes, `jobs` clips at a time (the files do not depend on
    /// `jobs`). `progress(done, total, path)` is called after each clip, one call at a time.
    @discardableResult
    public static func write(
        _ plan: SyntheticDatasetPlan, jobs: Int = 1, progress: @escaping (Int, Int, String) -> Void = { _, _, _ in }
    ) throws -> SyntheticDatasetSummary {
        precondition(jobs >= 1, "SyntheticDataset.write: jobs \(jobs)")
        let settings = plan.settings
        let root = settings.directory
        try makeFolders(plan)
        let all = plan.clips + plan.multiClips
        let state = ClipProgress(total: all.count, report: progress)
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(1, all.count))) { worker in
            for index in stride(from: worker, to: all.count, by: jobs) where !state.failed {
                do {
                    let codec = try encode(all[index], settings: settings, to: root + "/" + all[index].path)
                    state.finished(all[index].path, codec: codec)
                } catch {
                    state.fail(error)
                }
            }
        }
        if let error = state.error { throw error }
        for (name, text) in indexFiles(plan) {
            try writeText(text, to: root + "/" + name)
        }
        return SyntheticDatasetSummary(
            clips: plan.clips.count, multiClips: plan.multiClips.count, frames: all.reduce(0) { $0 + $1.frameCount },
            codec: state.codec)
    }

    /// The frames of a planned clip: each segment's scene rendered for its activity, back to back.
    public static func render(_ clip: PlannedClip, width: Int, height: Int) -> [[UInt8]] {
        clip.segments.flatMap { segment in
            var rng = SeededRNG(seed: segment.sceneSeed)
            let scene = SyntheticScene(activity: segment.activity, rng: &rng)
            return scene.frames(of: segment.activity, count: segment.frames, width: width, height: height)
        }
    }

    private static func makeFolders(_ plan: SyntheticDatasetPlan) throws {
        let root = plan.settings.directory
        var folders = Set(SyntheticActivity.allCases.map { "\(root)/clips/\($0.name)" })
        folders.insert("\(root)/segments")
        for folder in folders.sorted() { try makeFolder(folder) }
    }

    /// Encodes one clip to a temporary file beside `path`; `AtomicFile.replace` syncs it and
    /// renames it into place.
    private static func encode(
        _ clip: PlannedClip, settings: SyntheticDatasetSettings, to path: String
    ) throws -> String {
        try encode(
            render(clip, width: settings.width, height: settings.height), width: settings.width,
            height: settings.height, fps: settings.fps, to: path)
    }

    /// Encodes `frames` (packed RGB24) as an intra-only H.264 mp4 at `path`, atomically; returns
    /// the encoder's name.
    static func encode(_ frames: [[UInt8]], width: Int, height: Int, fps: Int, to path: String) throws -> String {
        do {
            return try AtomicFile.replace(path) { temporary in
                let encoder = try VideoEncoder(
                    path: temporary, width: width, height: height, fps: fps, quality: SyntheticDataset.quantiser,
                    intraOnly: true)
                for frame in frames {
                    try encoder.append(rgb: frame)
                }
                try encoder.finish()
                return encoder.codecName
            }
        } catch let error as DecodeError {
            throw SyntheticDatasetError(path: path, "encoding failed: \(error)")
        } catch let error as FileError {
            throw SyntheticDatasetError(path: path, "cannot put the encoded file in place: \(error.detail)")
        }
    }

    static func makeFolder(_ folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw SyntheticDatasetError(
                path: folder, "cannot create the folder (\(error.localizedDescription)); check --out and permissions")
        }
    }

    static func writeText(_ text: String, to path: String) throws {
        do {
            try AtomicFile.write(Array(text.utf8), to: path)
        } catch {
            throw SyntheticDatasetError(
                path: path, "cannot write the file (\(error)); check free space and permissions")
        }
    }
}

/// Shared state of the clip workers: the count of finished clips, the encoder's name and the
/// first error; `report` is called under the lock, so one call at a time.
final class ClipProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let report: (Int, Int, String) -> Void
    private var done = 0
    private(set) var codec = ""
    private(set) var error: Error?

    init(total: Int, report: @escaping (Int, Int, String) -> Void) {
        self.total = total
        self.report = report
    }

    var failed: Bool { lock.withLock { error != nil } }

    func finished(_ path: String, codec: String) {
        lock.withLock {
            done += 1
            self.codec = codec
            report(done, total, path)
        }
    }

    func fail(_ error: Error) { lock.withLock { self.error = self.error ?? error } }
}
