// The videos of a pipeline's dataset, as the planner sees them: where each file is, its path
// relative to the dataset root (the unit name in plans, the catalog and the shard hash), and its
// label and split when the layout gives them. Class order is defined by the layout — sorted names,
// or UCF101's classInd.txt — never by the order a file system lists folders in.

/// Which part of the data a video belongs to (the manifest's split names).
public typealias DataSplit = ManifestSplit

/// One video of a dataset.
public struct DatasetVideo: Codable, Sendable, Equatable {
    public var path: String
    public var relativePath: String
    public var label: String?
    public var split: DataSplit?

    public init(path: String, relativePath: String, label: String?, split: DataSplit?) {
        self.path = path
        self.relativePath = relativePath
        self.label = label
        self.split = split
    }
}

/// A dataset resolved from a pipeline file: its videos (sorted by relative path) and classes.
public struct ResolvedDataset: Sendable, Equatable {
    public var videos: [DatasetVideo]
    /// Class names in label-index order.
    public var classes: [String]

    public init(videos: [DatasetVideo], classes: [String]) {
        self.videos = videos.sorted { $0.relativePath < $1.relativePath }
        self.classes = classes
    }

    public func videos(in split: DataSplit) -> [DatasetVideo] { videos.filter { $0.split == split } }
}
