// A pipeline file, resolved: every section with every default filled in, and every path made
// absolute against the pipeline file's folder. `vidact dump-config` prints this; the config hash
// (SHA-256 of its canonical JSON) identifies a run's configuration in the catalog. The keys and
// their defaults are documented in pipelines/README.md; `PipelineConfig+Decoding.swift` reads them
// strictly.
import Catalog
import Crypto
import FeatureStore
import Foundation
import SequenceModels

/// A resolved pipeline file (format version 1).
public struct PipelineConfig: Codable, Sendable, Equatable {
    public static let version = 1

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
    }

    public struct Dataset: Codable, Sendable, Equatable {
        public var layout: Layout
        /// Videos folder (folder_per_class, ucf101, unlabelled).
        public var root: String?
        /// The manifest CSV (manifest).
        public var manifest: String?
        /// Segment annotations CSV for the frames task.
        public var segments: String?
        /// The folder with classInd.txt / trainlist0N.txt / testlist0N.txt (ucf101; default: root's parent).
        public var splitsFolder: String?
        /// UCF101 split number, 1–3.
        public var split: Int
        /// Fractions of each class held out for validation and test (folder_per_class; and val for ucf101).
        public var valFraction: Double
        public var testFraction: Double
        /// File extensions counted as videos.
        public var extensions: [String]
    }

    public struct Extract: Codable, Sendable, Equatable {
        public var backbone: String
        /// nil: the backbone's default file in `models`.
        public var weights: String?
        public var models: String
        /// "fps:1", "uniform:16", "segments:8", "stride:2" or "all".
        public var sampling: String
        /// "short_side:256,crop:224" or "224x224".
        public var geometry: String
        public var interpolation: String
        public var rotation: Bool
        /// nil: the backbone's own.
        public var normalization: String?
        public var pooling: FeaturePooling
        public var dtype: FeatureDType
        public var batch: Int
        public var jobs: Int
    }

    public struct Train: Codable, Sendable, Equatable {
        public var task: String
        public var name: String
        public var pooling: String
        public var hidden: Int
        public var layers: Int
        public var bidirectional: Bool
        public var dropout: Double
        public var inputDropout: Double
        /// What the LSTM reads at each step: features, differences or both (`SequenceInputs`).
        public var inputs: String
        public var projection: Int?
        public var optimizer: String
        public var learningRate: Double
        public var weightDecay: Double
        public var schedule: String
        public var warmupEpochs: Int
        public var epochs: Int
        public var batch: Int
        public var clipNorm: Double?
        public var patience: Int?
        public var seed: Int
        /// Also train the order-blind baseline (mean of the frames' features → linear classifier).
        public var baseline: Bool
    }

    public struct Predict: Codable, Sendable, Equatable {
        /// Which videos: "test" (the test split), or "all".
        public var videos: String
        public var topK: Int
        /// A model folder trained elsewhere (required for an unlabelled dataset); nil: this
        /// pipeline's own `train` model.
        public var model: String?
    }

    public struct Evaluate: Codable, Sendable, Equatable {
        public var split: String
        public var plot: Bool
    }

    /// The pipeline file itself.
    public var file: String
    public var workdir: String
    public var dataset: Dataset
    public var extract: Extract
    public var train: Train?
    public var predict: Predict?
    public var evaluate: Evaluate?

    /// Sorted-key JSON of the whole resolved config.
    public var canonicalJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// SHA-256 (hex) of the canonical JSON.
    public var hash: String {
        SHA256.hash(data: Data(canonicalJSON.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The steps the file asks for, in order.
    public var steps: [PipelineStep] {
        var steps: [PipelineStep] = [.extract]
        if train != nil { steps.append(.train) }
        if predict != nil { steps.append(.predict) }
        if evaluate != nil { steps.append(.evaluate) }
        return steps
    }
}
