// The run report as plain data: everything `vidact report` shows about one run, gathered from the
// workdir's catalog and files by `Report+Gather.swift` and turned into one self-contained HTML page
// by `ReportHTML.swift` (with `ReportSVG.swift` for the figures). Keeping the data apart from the
// rendering lets tests build a report by hand (a frames model, a failure with markup in its
// message) and check the page without running a pipeline. Sections that do not apply (no model, no
// predictions) are nil or empty, and `notes` says for people what is absent and why.
import Foundation
import SequenceModels

/// Everything shown in one run's report.
public struct Report: Sendable {
    /// The run: when, where, how long, how it ended, and what it did.
    public struct Summary: Sendable {
        public var runID: String
        public var status: String
        public var pipeline: String?
        public var workdir: String
        public var configHash: String
        public var host: String
        public var shard: String?
        public var started: Date
        public var ended: Date?
        public var seconds: Double
        /// Videos of the dataset (or, when it can no longer be read, videos named by the run's items).
        public var videosSeen: Int
        /// Extract units done, failed, and videos whose volume was already cached (not redone).
        public var videosDone: Int
        public var videosFailed: Int
        public var videosSkipped: Int
        /// Frames decoded by this run's extract units, when recorded.
        public var decodedFrames: Int
        /// Per step: done and failed units of this run, in pipeline order.
        public var steps: [StepCount]

        public init(
            runID: String, status: String, pipeline: String?, workdir: String, configHash: String, host: String,
            shard: String?, started: Date, ended: Date?, seconds: Double, videosSeen: Int, videosDone: Int,
            videosFailed: Int, videosSkipped: Int, decodedFrames: Int, steps: [StepCount]
        ) {
            self.runID = runID
            self.status = status
            self.pipeline = pipeline
            self.workdir = workdir
            self.configHash = configHash
            self.host = host
            self.shard = shard
            self.started = started
            self.ended = ended
            self.seconds = seconds
            self.videosSeen = videosSeen
            self.videosDone = videosDone
            self.videosFailed = videosFailed
            self.videosSkipped = videosSkipped
            self.decodedFrames = decodedFrames
            self.steps = steps
        }

        /// Videos extracted per minute of the run; nil for a run without extraction or duration.
        public var videosPerMinute: Double? {
            seconds > 0 && videosDone > 0 ? Double(videosDone) / seconds * 60 : nil
        }

        /// Frames decoded per second of the run; nil when none were recorded.
        public var framesPerSecond: Double? {
            seconds > 0 && decodedFrames > 0 ? Double(decodedFrames) / seconds : nil
        }
    }

    public struct StepCount: Sendable, Equatable {
        public var step: String
        public var done: Int
        public var failed: Int

        public init(step: String, done: Int, failed: Int) {
            self.step = step
            self.done = done
            self.failed = failed
        }
    }

    /// One failed (or interrupted) unit of the run and its reason.
    public struct Failure: Sendable, Equatable {
        public var step: String
        public var unit: String
        public var kind: String
        public var message: String

        public init(step: String, unit: String, kind: String, message: String) {
            self.step = step
            self.unit = unit
            self.kind = kind
            self.message = message
        }
    }

    /// One labelled stretch of a video's timeline, in seconds.
    public struct Segment: Sendable, Equatable {
        public var label: String
        public var start: Double
        public var end: Double

        public init(label: String, start: Double, end: Double) {
            self.label = label
            self.start = start
            self.end = end
        }
    }

    /// A label with its probability (the top-k list).
    public struct Scored: Sendable, Equatable {
        public var label: String
        public var probability: Double

        public init(label: String, probability: Double) {
            self.label = label
            self.probability = probability
        }
    }

    /// One row of the videos table.
    public struct Video: Sendable {
        /// Path relative to the dataset root (the unit name).
        public var path: String
        public var split: String?
        public var truth: String?
        /// This run's extract outcome: done, failed, interrupted, or cached (done by an earlier run).
        public var status: String
        public var predicted: String?
        public var probability: Double?
        public var top: [Scored]
        /// JPEG thumbnails of sampled frames, as the file bytes.
        public var thumbnails: [[UInt8]]
        /// Why there are no (or fewer) thumbnails, for people.
        public var thumbnailNote: String?
        /// Frames task: predicted and (when annotated in seconds) true segments.
        public var predictedSegments: [Segment]
        public var truthSegments: [Segment]
        /// Caption task: the reference captions, and (attention models) the weights over the
        /// sampled frames at each word of the predicted caption, `[words][frames]`.
        public var references: [String] = []
        public var attention: [[Double]] = []

        public init(
            path: String, split: String? = nil, truth: String? = nil, status: String, predicted: String? = nil,
            probability: Double? = nil, top: [Scored] = [], thumbnails: [[UInt8]] = [], thumbnailNote: String? = nil,
            predictedSegments: [Segment] = [], truthSegments: [Segment] = []
        ) {
            self.path = path
            self.split = split
            self.truth = truth
            self.status = status
            self.predicted = predicted
            self.probability = probability
            self.top = top
            self.thumbnails = thumbnails
            self.thumbnailNote = thumbnailNote
            self.predictedSegments = predictedSegments
            self.truthSegments = truthSegments
        }
    }

    /// A named score of the model.
    public struct Metric: Sendable, Equatable {
        public var name: String
        /// A fraction (0–1), whatever scale the evaluation file used; shown as a percentage.
        public var value: Double

        public init(name: String, value: Double) {
            self.name = name
            self.value = value
        }
    }

    /// One row of `train_log.csv` (losses and accuracies of one epoch).
    public struct Epoch: Sendable, Equatable {
        public var epoch: Int
        public var trainLoss: Double
        public var trainAccuracy: Double
        public var validationLoss: Double
        public var validationAccuracy: Double

        public init(
            epoch: Int, trainLoss: Double, trainAccuracy: Double, validationLoss: Double, validationAccuracy: Double
        ) {
            self.epoch = epoch
            self.trainLoss = trainLoss
            self.trainAccuracy = trainAccuracy
            self.validationLoss = validationLoss
            self.validationAccuracy = validationAccuracy
        }
    }

    /// The model the run trained or used.
    public struct Model: Sendable {
        public var name: String
        /// "clip" or "frames".
        public var task: String
        public var classes: [String]
        /// Scores from `evaluation-<split>.json`, in the file's order of importance.
        public var metrics: [Metric]
        public var evaluatedSplit: String?
        /// Per-class scores from the confusion matrix (support: clips, or frames for the frames task).
        public var perClass: [(label: String, scores: ClassScores)]
        /// True class × predicted class of the evaluated split's predictions: one count per video for
        /// the clip task, one per annotated frame for the frames task.
        public var confusion: ConfusionMatrix?
        public var trainLog: [Epoch]

        public init(
            name: String, task: String, classes: [String], metrics: [Metric] = [], evaluatedSplit: String? = nil,
            perClass: [(label: String, scores: ClassScores)] = [], confusion: ConfusionMatrix? = nil,
            trainLog: [Epoch] = []
        ) {
            self.name = name
            self.task = task
            self.classes = classes
            self.metrics = metrics
            self.evaluatedSplit = evaluatedSplit
            self.perClass = perClass
            self.confusion = confusion
            self.trainLog = trainLog
        }
    }

    public var summary: Summary
    public var failures: [Failure]
    public var videos: [Video]
    public var model: Model?
    /// Sentences about what is absent or approximate (no model, thumbnails capped, …).
    public var notes: [String]
    public var generated: Date

    public init(
        summary: Summary, failures: [Failure] = [], videos: [Video] = [], model: Model? = nil, notes: [String] = [],
        generated: Date = Date()
    ) {
        self.summary = summary
        self.failures = failures
        self.videos = videos
        self.model = model
        self.notes = notes
        self.generated = generated
    }
}
