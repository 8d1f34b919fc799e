// Where a dataset's videos and labels come from, typed once at the pipeline file's edge
// (`PipelineConfig+Decoding` builds it; `DatasetResolver` reads it). The layout's required path is
// held by `source` as an associated value, so no reader unwraps an optional that the layout
// guarantees.
//
// Encoding: the flat keys of pipeline format version 1 (`layout`, `root`, `manifest`, `segments`,
// `splitsFolder`, `split`, `valFraction`, `testFraction`, `extensions`, and `captions` since the
// caption layout; nil paths omitted), so the
// resolved config's canonical JSON, and every recorded config hash, are those of before the type.
// Paths a layout does not use but the file gave (a `root` beside a manifest) are kept for that.
import Foundation

/// A resolved `dataset` section.
public struct DatasetSpec: Codable, Sendable, Equatable {
    /// How the videos and their labels are given.
    public enum Layout: String, Codable, Sendable, CaseIterable {
        /// `root/<class>/*.mp4`; splits by `val_fraction`/`test_fraction` (hash of the path).
        case folderPerClass = "folder_per_class"
        /// `video,label,split` CSV (paths relative to the CSV).
        case manifest
        /// UCF101 split files: `classInd.txt`, `trainlist0N.txt`, `testlist0N.txt` beside `root`.
        case ucf101
        /// A folder of videos without labels (predict only).
        case unlabelled
        /// A caption file (`video,split,caption`; `CaptionTable`): videos with reference captions.
        case captions
    }

    /// The layout with the path it needs.
    public enum Source: Sendable, Equatable {
        case folderPerClass(root: String)
        case manifest(String)
        /// `splitsFolder`: the folder of the split files (nil: root's parent).
        case ucf101(root: String, splitsFolder: String?)
        case unlabelled(root: String)
        case captions(String)
    }

    /// The paths as the file gave them (every one is kept in the encoding).
    public struct Paths: Sendable, Equatable {
        public var root: String?
        public var manifest: String?
        public var splitsFolder: String?
        public var captions: String?

        public init(root: String? = nil, manifest: String? = nil, splitsFolder: String? = nil, captions: String? = nil)
        {
            self.root = root
            self.manifest = manifest
            self.splitsFolder = splitsFolder
            self.captions = captions
        }
    }

    public let source: Source
    public let paths: Paths
    /// Segment annotations CSV for the frames task.
    public var segments: String?
    /// UCF101 split number, 1–3.
    public var split: Int
    /// Fractions of each class held out for validation and test (folder_per_class; val for ucf101).
    public var valFraction: Double
    public var testFraction: Double
    /// File extensions counted as videos (lower case).
    public var extensions: [String]

    /// Nil when `layout` lacks the path it needs (`manifest` for manifest, `captions` for captions,
    /// `root` otherwise).
    public init?(
        layout: Layout, paths: Paths, segments: String?, split: Int, valFraction: Double, testFraction: Double,
        extensions: [String]
    ) {
        switch layout {
        case .manifest:
            guard let manifest = paths.manifest else { return nil }
            source = .manifest(manifest)
        case .folderPerClass:
            guard let root = paths.root else { return nil }
            source = .folderPerClass(root: root)
        case .ucf101:
            guard let root = paths.root else { return nil }
            source = .ucf101(root: root, splitsFolder: paths.splitsFolder)
        case .unlabelled:
            guard let root = paths.root else { return nil }
            source = .unlabelled(root: root)
        case .captions:
            guard let captions = paths.captions else { return nil }
            source = .captions(captions)
        }
        self.paths = paths
        self.segments = segments
        self.split = split
        self.valFraction = valFraction
        self.testFraction = testFraction
        self.extensions = extensions
    }

    public var layout: Layout {
        switch source {
        case .folderPerClass: return .folderPerClass
        case .manifest: return .manifest
        case .ucf101: return .ucf101
        case .unlabelled: return .unlabelled
        case .captions: return .captions
        }
    }

    /// The videos folder (every layout but manifest).
    public var root: String? {
        switch source {
        case .folderPerClass(let root), .ucf101(let root, _), .unlabelled(let root): return root
        case .manifest, .captions: return nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case layout, root, manifest, captions, segments, splitsFolder, split, valFraction, testFraction, extensions
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let layout = try c.decode(Layout.self, forKey: .layout)
        let paths = Paths(
            root: try c.decodeIfPresent(String.self, forKey: .root),
            manifest: try c.decodeIfPresent(String.self, forKey: .manifest),
            splitsFolder: try c.decodeIfPresent(String.self, forKey: .splitsFolder),
            captions: try c.decodeIfPresent(String.self, forKey: .captions))
        guard
            let spec = DatasetSpec(
                layout: layout, paths: paths, segments: try c.decodeIfPresent(String.self, forKey: .segments),
                split: try c.decode(Int.self, forKey: .split),
                valFraction: try c.decode(Double.self, forKey: .valFraction),
                testFraction: try c.decode(Double.self, forKey: .testFraction),
                extensions: try c.decode([String].self, forKey: .extensions))
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .layout, in: c, debugDescription: "layout \(layout.rawValue) without its path")
        }
        self = spec
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(layout, forKey: .layout)
        try c.encodeIfPresent(paths.root, forKey: .root)
        try c.encodeIfPresent(paths.manifest, forKey: .manifest)
        try c.encodeIfPresent(paths.captions, forKey: .captions)
        try c.encodeIfPresent(segments, forKey: .segments)
        try c.encodeIfPresent(paths.splitsFolder, forKey: .splitsFolder)
        try c.encode(split, forKey: .split)
        try c.encode(valFraction, forKey: .valFraction)
        try c.encode(testFraction, forKey: .testFraction)
        try c.encode(extensions, forKey: .extensions)
    }
}
