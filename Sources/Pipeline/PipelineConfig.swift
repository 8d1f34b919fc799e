// A pipeline file, resolved: every section with every default filled in, and every path made
// absolute against the pipeline file's folder. `vidact dump-config` prints this; the config hash
// (SHA-256 of its canonical JSON) identifies a run's configuration in the catalog. The keys and
// their defaults are documented in pipelines/README.md; `PipelineConfig+Decoding.swift` reads them
// strictly.
import Basics
import Catalog
import ConvNets
import Crypto
import Datasets
import FeatureStore
import Foundation
import SequenceModels
import VideoDecoding

/// A resolved pipeline file (format version 1).
public struct PipelineConfig: Codable, Sendable, Equatable {
    public static let version = 1

    /// The `dataset` section (typed in `Datasets`).
    public typealias Dataset = DatasetSpec
    public typealias Layout = DatasetSpec.Layout

    /// The `extract` section. Encoded (`PipelineConfig+Codable`) with sampling and geometry as
    /// their canonical strings ("fps:1.0", "short_side:256,crop:224"), as format version 1 has it.
    public struct Extract: Sendable, Equatable {
        public var backbone: Backbone
        /// The weights file: the file's `weights`, or the backbone's default file in `models`.
        public var weights: String
        public var models: String
        public var sampling: Sampling
        public var geometry: Geometry
        public var interpolation: Interpolation
        public var rotation: Bool
        /// The file's, or the backbone's own.
        public var normalization: InputNormalization
        public var pooling: FeaturePooling
        public var dtype: FeatureDType
        public var batch: Int
        public var jobs: Int
        /// Also store motion descriptors (`MotionDescriptor`) beside the features.
        public var motion: Bool
        /// `keyframe`: each sample moves to the nearest keyframe (`sampling: {…, snap: keyframe}`).
        public var snap: Snap = .exact
        /// The CNN's arithmetic; int8 reads the scales of `calibration`.
        public var precision: Precision = .f32
        /// The int8 calibration file (`vidact calibrate`): the file's `calibration`, or the
        /// backbone's default file in `models`; nil for f32.
        public var calibration: String? = nil
    }

    /// What a model predicts: one label per clip, one per frame, or a sentence per video.
    public enum Task: String, Codable, Sendable, CaseIterable {
        case clip, frames, caption
    }

    /// The caption task's settings (`train` keys of the caption task only).
    public struct CaptionSettings: Codable, Sendable, Equatable {
        public var architecture: CaptionArchitecture
        public var embedding: Int
        public var maxWords: Int
        public var minCount: Int
        public var labelSmoothing: Double
        public var beam: Int
        public var lengthPenalty: Double
        /// Attention only: the attention layer's width (nil: `hidden`).
        public var attentionSize: Int?
        /// Scheduled sampling probability while training (nil: teacher forcing).
        public var scheduledSampling: Double?
    }

    /// The learning-rate schedule over epochs.
    public enum Schedule: String, Codable, Sendable, CaseIterable {
        case constant, cosine
    }

    public struct Train: Codable, Sendable, Equatable {
        public var task: Task
        public var name: String
        public var pooling: ClipPooling
        public var hidden: Int
        public var layers: Int
        public var bidirectional: Bool
        public var dropout: Double
        public var inputDropout: Double
        /// What the LSTM reads at each step: features, differences or both (`SequenceInputs`).
        public var inputs: SequenceInputs
        public var projection: Int?
        public var optimizer: OptimizerKind
        public var learningRate: Double
        public var weightDecay: Double
        public var schedule: Schedule
        public var warmupEpochs: Int
        public var epochs: Int
        public var batch: Int
        public var clipNorm: Double?
        public var patience: Int?
        public var seed: Int
        /// Also train the order-blind baseline (mean of the frames' features → linear classifier;
        /// for captions the mean-pool caption model).
        public var baseline: Bool
        /// The caption task's settings; nil for the other tasks (so their config hashes are as before).
        public var caption: CaptionSettings?
    }

    public struct Predict: Codable, Sendable, Equatable {
        /// Which videos: the test split, or all of them.
        public enum Videos: String, Codable, Sendable, CaseIterable {
            case test, all
        }

        public var videos: Videos
        public var topK: Int
        /// A model folder trained elsewhere (required for an unlabelled dataset); nil: this
        /// pipeline's own `train` model.
        public var model: String?
    }

    public struct Evaluate: Codable, Sendable, Equatable {
        /// `val` or `test` (the decoder refuses `train`).
        public var split: DataSplit
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
    /// Where the models folder was searched for when the file names neither `extract.models` nor
    /// `extract.weights` (for the error when the weights are missing). Not part of the config, its
    /// JSON or its hash: where the models were found does not change what a run computes (the
    /// weights' SHA-256 is in the extractor key).
    public var modelSearch: ModelSearch? = nil

    enum CodingKeys: String, CodingKey {
        case file, workdir, dataset, extract, train, predict, evaluate
    }

    /// Equal configs compute the same things: `modelSearch` does not count.
    public static func == (a: PipelineConfig, b: PipelineConfig) -> Bool {
        a.file == b.file && a.workdir == b.workdir && a.dataset == b.dataset && a.extract == b.extract
            && a.train == b.train && a.predict == b.predict && a.evaluate == b.evaluate
    }

    /// Sorted-key JSON of the whole resolved config.
    public var canonicalJSON: String {
        CanonicalJSON.string(of: self)
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
