// The segments file of the frames task (`SegmentAnnotationsCSV`: `video,start,end,label` in
// seconds, or `video,start_frame,end_frame,label` in frame indices), keyed by video path resolved
// against the CSV's folder so that it matches manifest rows written relative to another folder.
// Class order of the frames task: the segment labels of the manifest's videos, sorted by UTF-8
// bytes (as the manifest's clip classes). A manifest video without segments is an error.
import FeatureStore
import Foundation
import SequenceModels

/// Segment annotations by resolved video path.
public struct FrameSegments: Sendable {
    public var file: String
    public var byVideo: [String: [SegmentAnnotation]]

    public init(file: String, byVideo: [String: [SegmentAnnotation]]) {
        self.file = file
        self.byVideo = byVideo
    }

    /// Reads `path`; video names are resolved against its folder.
    public static func load(path: String) throws(DatasetError) -> FrameSegments {
        let raw: [String: [SegmentAnnotation]]
        do {
            raw = try SegmentAnnotationsCSV.load(path: path)
        } catch {
            throw DatasetError(.segments, "\(error)")
        }
        let folder = (DatasetPaths.absolute(path) as NSString).deletingLastPathComponent
        var byVideo: [String: [SegmentAnnotation]] = [:]
        for (video, segments) in raw { byVideo[DatasetPaths.resolve(video, against: folder), default: []] += segments }
        return FrameSegments(file: path, byVideo: byVideo)
    }

    /// The sorted class names of the segments of `entries`' videos.
    public func labelNames(for entries: [ManifestEntry]) -> [String] {
        Set(entries.flatMap { byVideo[$0.path] ?? [] }.map(\.label))
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The segments of one manifest row; an error when the file has none for it.
    public func segments(of entry: ManifestEntry) throws(DatasetError) -> [SegmentAnnotation] {
        guard let segments = byVideo[entry.path], !segments.isEmpty else {
            throw DatasetError(.segments, file: file, "no segments for video \(entry.video) (\(entry.path))")
        }
        return segments
    }

    /// Per-frame class indices (or `FrameLabels.ignore`) of `entry`'s volume.
    public func frameLabels(of entry: ManifestEntry, volume: FeatureVolume, labelNames: [String]) throws -> [Int] {
        let annotations = try segments(of: entry)
        do {
            return try FrameLabels.assign(
                timestamps: volume.timestamps, frameIndices: volume.frameIndices.map { Int($0) },
                segments: annotations, labelNames: labelNames)
        } catch {
            throw DatasetError(
                .labels, file: file,
                "video \(entry.video): \(error); the model's classes are "
                    + labelNames.joined(separator: ", "))
        }
    }
}
