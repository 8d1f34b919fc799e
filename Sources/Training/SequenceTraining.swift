// `vidact train` as a library call (the pipeline's train step will call it unchanged): manifest +
// workdir cache → examples → `SequenceClassifier` → `Trainer` into the output folder, reporting
// each epoch. Train rows train; val rows validate (without any, the trainer validates on the train
// rows, as `Trainer` documents); test rows are left for `SequenceEvaluation`. The checkpoint
// metadata gets the keys of `ModelMetadata`: class names, the feature extractor key and its spec,
// the manifest and segments files; the trainer adds the model and training configurations and the
// validation result. A folder holding a compatible checkpoint-last resumes.
import Datasets
import FeatureStore
import Foundation
import SequenceModels

/// The model's shape apart from the sizes the data decides (input width, classes).
public struct SequenceModelShape: Sendable, Equatable {
    public var projectionSize: Int?
    public var hiddenSize: Int
    public var layers: Int
    public var bidirectional: Bool
    public var lstmDropout: Float
    public var inputDropout: Float
    /// What the LSTM reads at each step.
    public var inputs: SequenceInputs
    /// Seeds the initial weights.
    public var seed: UInt64

    public init(
        projectionSize: Int? = nil, hiddenSize: Int = 256, layers: Int = 1, bidirectional: Bool = false,
        lstmDropout: Float = 0, inputDropout: Float = 0, inputs: SequenceInputs = .features, seed: UInt64 = 0
    ) {
        self.projectionSize = projectionSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.bidirectional = bidirectional
        self.lstmDropout = lstmDropout
        self.inputDropout = inputDropout
        self.inputs = inputs
        self.seed = seed
    }
}

/// What to train.
public struct TrainingRequest: Sendable {
    public var manifest: String
    public var workdir: String
    /// nil: the workdir's only key.
    public var extractorKey: String?
    /// The segments CSV; required for the frames task.
    public var segments: String?
    public var task: SequenceTask
    public var shape: SequenceModelShape
    public var training: TrainerConfiguration
    public var outputFolder: String

    public init(
        manifest: String, workdir: String, extractorKey: String?, segments: String?, task: SequenceTask,
        shape: SequenceModelShape, training: TrainerConfiguration, outputFolder: String
    ) {
        self.manifest = manifest
        self.workdir = workdir
        self.extractorKey = extractorKey
        self.segments = segments
        self.task = task
        self.shape = shape
        self.training = training
        self.outputFolder = outputFolder
    }
}

/// What a training run did.
public struct TrainingResult: Sendable {
    public var labelNames: [String]
    public var extractorKey: String
    public var trainCount: Int
    public var validationCount: Int
    public var log: [TrainingLogRow]
    public var bestPath: String
    public var logPath: String
}

public enum SequenceTraining {
    /// Trains as `request` says; `onEpoch` sees each new log row (not those of a resumed run's past).
    public static func run(
        _ request: TrainingRequest, onStart: (TrainingResult) -> Void = { _ in },
        onEpoch: (TrainingLogRow) -> Void = { _ in }
    ) throws -> TrainingResult {
        let manifest = try Manifest.load(path: request.manifest)
        let key = try FeatureDataset.chooseKey(workdir: request.workdir, requested: request.extractorKey)
        let dataset = FeatureDataset(workdir: request.workdir, key: key, withMotion: request.shape.inputs.usesMotion)
        let (trainRows, valRows) = (manifest.entries(.train), manifest.entries(.val))
        guard !trainRows.isEmpty else {
            throw DatasetError(.manifest, file: request.manifest, "no rows with split train")
        }
        let labelNames: [String]
        let train: [SequenceExample]
        let validation: [SequenceExample]
        switch request.task {
        case .clip:
            labelNames = manifest.labelNames
            try checkClasses(labelNames, file: request.manifest)
            train = try dataset.clipExamples(trainRows, labelNames: labelNames)
            validation = try dataset.clipExamples(valRows, labelNames: labelNames)
        case .frames:
            guard let segmentsPath = request.segments else {
                throw DatasetError(.segments, "the frames task needs a segments file (--segments FILE)")
            }
            let segments = try FrameSegments.load(path: segmentsPath)
            labelNames = segments.labelNames(for: manifest.entries)
            try checkClasses(labelNames, file: segmentsPath)
            train = try dataset.frameExamples(trainRows, segments: segments, labelNames: labelNames)
            validation = try dataset.frameExamples(valRows, segments: segments, labelNames: labelNames)
        }
        try dataset.finish()
        let shape = request.shape
        let motionWidth = try shape.inputs.usesMotion ? Self.motionWidth(dataset) : nil
        var configuration = SequenceClassifierConfiguration(
            inputSize: train[0].features.shape[1], projectionSize: shape.projectionSize,
            hiddenSize: shape.hiddenSize, layers: shape.layers, bidirectional: shape.bidirectional,
            lstmDropout: shape.lstmDropout, inputDropout: shape.inputDropout, classCount: labelNames.count,
            task: request.task, inputs: shape.inputs, motionWidth: motionWidth)
        // Models that read motion normalise every encoded input with the training split's
        // statistics (stored in the checkpoint): motion rates and CNN features differ in scale.
        if shape.inputs.usesMotion { configuration.normalizeInputs(over: train) }
        let trainer = try Trainer(
            model: SequenceClassifier(configuration: configuration, seed: shape.seed),
            configuration: request.training, train: train, validation: validation,
            outputFolder: request.outputFolder,
            metadata: ModelMetadata.encode(
                labelNames: labelNames, extractorKey: key, spec: dataset.spec, manifest: request.manifest,
                segments: request.segments))
        var result = TrainingResult(
            labelNames: labelNames, extractorKey: key, trainCount: train.count, validationCount: validation.count,
            log: [], bestPath: trainer.bestPath, logPath: trainer.logPath)
        onStart(result)
        // One epoch per call, so each row is reported as soon as it exists; `run` resumes itself.
        var reported = 0
        for epoch in 1...request.training.epochs {
            let reached = try trainer.run(stopAfterEpoch: epoch)
            for row in trainer.log.dropFirst(reported) { onEpoch(row) }
            reported = trainer.log.count
            if reached < epoch { break }  // stopped early
        }
        result.log = trainer.log
        return result
    }

    /// D_m of the key's volumes, as the examples were read.
    static func motionWidth(_ dataset: FeatureDataset) throws -> Int {
        guard let width = dataset.motionWidth else {
            throw DatasetError(
                .extractorKey,
                "the inputs read motion, but the volumes of extractor key \(dataset.key) have none; extract with "
                    + "motion (`extract.motion: true`, or `vidact features extract --motion`)")
        }
        return width
    }

    static func checkClasses(_ labelNames: [String], file: String) throws(DatasetError) {
        guard labelNames.count >= 2 else {
            throw DatasetError(
                .labels, file: file,
                "\(labelNames.count) class\(labelNames.count == 1 ? "" : "es") (\(labelNames.joined(separator: ", "))); "
                    + "a classifier needs at least 2")
        }
    }
}
