// Strict pipeline files: each kind of mistake gives its own exact message with file and line, and a
// good file resolves with every default filled in and paths made absolute.
import Foundation
import Testing

@testable import Pipeline

struct PipelineConfigTests {
    static let file = "/data/pipelines/demo.yaml"

    static let good = """
        version: 1
        dataset:
          layout: folder_per_class
          root: ../videos
        extract:
          sampling: {uniform: 8}
        train:
          task: clip
          epochs: 5
        predict: {}
        evaluate: {}
        """

    func error(_ text: String) -> String {
        do {
            _ = try PipelineConfig.parse(text, file: Self.file)
            return "no error"
        } catch let error as PipelineConfigError {
            return error.description
        } catch {
            return "other error: \(error)"
        }
    }

    @Test func aGoodFileResolvesWithDefaults() throws {
        let config = try PipelineConfig.parse(Self.good, file: Self.file, modelSearch: ConfigHashPinTests.besideOnly)
        #expect(config.workdir == "/data/pipelines/work/demo")
        #expect(config.dataset.root == "/data/videos")
        #expect(config.dataset.valFraction == 0.2 && config.dataset.testFraction == 0.2)
        #expect(config.extract.sampling == .uniform(8) && config.extract.geometry == .shortSide(256, crop: 224))
        #expect(config.extract.backbone == .efficientnetLite0 && config.extract.dtype == .f16)
        #expect(config.extract.weights == "/data/pipelines/models/efficientnet_lite0.safetensors")
        #expect(config.extract.normalization == .lite)
        #expect(config.train?.epochs == 5 && config.train?.hidden == 256 && config.train?.optimizer == .adamw)
        #expect(config.train?.inputs == .features)
        #expect(config.predict?.videos == .test && config.evaluate?.split == .test)
        #expect(config.steps == [.extract, .train, .predict, .evaluate])
        #expect(config.hash.count == 64)
        #expect(try PipelineConfig.parse(Self.good, file: Self.file).hash == config.hash)
    }

    @Test func unknownKey() {
        let text = Self.good.replacingOccurrences(of: "  epochs: 5", with: "  epohcs: 5")
        #expect(
            error(text)
                == "\(Self.file):9: unknown key 'train.epohcs'; allowed keys in 'train': task, name, pooling, hidden, "
                + "layers, bidirectional, dropout, input_dropout, inputs, projection, optimizer, learning_rate, weight_decay, "
                + "schedule, warmup_epochs, epochs, batch, clip_norm, patience, seed, baseline, architecture, embedding, "
                + "max_words, min_count, label_smoothing, scheduled_sampling, attention_size, beam, length_penalty")
    }

    @Test func stepInputsAreOneOfTheirValues() throws {
        let both = Self.good.replacingOccurrences(of: "  epochs: 5", with: "  epochs: 5\n  inputs: both")
        #expect(try PipelineConfig.parse(both, file: Self.file).train?.inputs == .both)
        let typo = Self.good.replacingOccurrences(of: "  epochs: 5", with: "  epochs: 5\n  inputs: deltas")
        #expect(
            error(typo)
                == "\(Self.file):10: 'train.inputs' is 'deltas'; allowed values: features, differences, both, motion, "
                + "features+motion, differences+motion, both+motion")
    }

    @Test func motionInputsNeedMotionExtracted() throws {
        let reads = Self.good.replacingOccurrences(of: "  epochs: 5", with: "  epochs: 5\n  inputs: features+motion")
        #expect(
            error(reads)
                == "\(Self.file):1: 'train.inputs' is features+motion, which reads motion descriptors: set "
                + "'extract.motion: true'")
        let extracted = reads.replacingOccurrences(
            of: "  sampling: {uniform: 8}", with: "  sampling: {uniform: 8}\n  motion: true")
        let config = try PipelineConfig.parse(extracted, file: Self.file)
        #expect(config.extract.motion && config.train?.inputs == .featuresAndMotion)
        #expect(config.extract.frameRequest.motionReferences)
        #expect(config.canonicalJSON.contains("\"motion\":true"))
        #expect(!(try PipelineConfig.parse(Self.good, file: Self.file)).canonicalJSON.contains("motion"))
    }

    @Test func int8ReadsTheDefaultCalibrationBesideTheWeightsUnlessNamed() throws {
        let int8 = Self.good.replacingOccurrences(
            of: "  sampling: {uniform: 8}", with: "  sampling: {uniform: 8}\n  precision: int8")
        let config = try PipelineConfig.parse(int8, file: Self.file)
        #expect(config.extract.precision == .int8)
        #expect(config.extract.calibration == "/data/pipelines/models/efficientnet_lite0.int8.json")
        #expect(config.canonicalJSON.contains("\"precision\":\"int8\""))
        let named = int8.replacingOccurrences(
            of: "  precision: int8", with: "  precision: int8\n  calibration: mine.json")
        #expect(try PipelineConfig.parse(named, file: Self.file).extract.calibration == "/data/pipelines/mine.json")
        // f32 (the default) writes neither key, so every f32 config keeps its hash.
        let f32 = try PipelineConfig.parse(Self.good, file: Self.file)
        #expect(f32.extract.precision == .f32 && f32.extract.calibration == nil)
        #expect(!f32.canonicalJSON.contains("precision") && !f32.canonicalJSON.contains("calibration"))
        let stray = Self.good.replacingOccurrences(
            of: "  sampling: {uniform: 8}", with: "  sampling: {uniform: 8}\n  calibration: mine.json")
        #expect(error(stray).contains("'extract.calibration' is only read with 'precision: int8'"))
        let resnet = int8.replacingOccurrences(
            of: "  precision: int8", with: "  precision: int8\n  backbone: resnet50\n  weights: r.safetensors")
        #expect(error(resnet).contains("'extract.precision' is int8, which needs 'calibration:' for resnet50"))
        let resnetCalibrated = resnet.replacingOccurrences(
            of: "  precision: int8", with: "  precision: int8\n  calibration: r.int8.json")
        #expect(
            try PipelineConfig.parse(resnetCalibrated, file: Self.file).extract.calibration
                == "/data/pipelines/r.int8.json")
        // The spec names the calibration's checksum, so int8 volumes never share a key with f32 ones.
        let f32Spec = f32.extract.spec(weightsSHA256: String(repeating: "0", count: 64))
        let int8Spec = config.extract.spec(
            weightsSHA256: String(repeating: "0", count: 64), calibrationIdentity: String(repeating: "a", count: 64))
        #expect(f32Spec.precision == nil && int8Spec.precision == "int8:" + String(repeating: "a", count: 64))
        #expect(f32Spec.key != int8Spec.key)
    }

    @Test func keyframeSnappingIsPartOfTheSamplingAndTheKey() throws {
        let snapped = Self.good.replacingOccurrences(
            of: "  sampling: {uniform: 8}", with: "  sampling: {uniform: 8, snap: keyframe}")
        let config = try PipelineConfig.parse(snapped, file: Self.file)
        #expect(config.extract.snap == .keyframe && config.extract.frameRequest.snap == .keyframe)
        #expect(config.canonicalJSON.contains("\"snap\":\"keyframe\""))
        let exact = try PipelineConfig.parse(Self.good, file: Self.file)
        #expect(exact.extract.snap == .exact && !exact.canonicalJSON.contains("snap"))
        let sha = String(repeating: "0", count: 64)
        #expect(config.extract.spec(weightsSHA256: sha).sampling == "uniform:8,snap:keyframe")
        #expect(config.extract.spec(weightsSHA256: sha).key != exact.extract.spec(weightsSHA256: sha).key)
        let stride = Self.good.replacingOccurrences(
            of: "  sampling: {uniform: 8}", with: "  sampling: {stride: 2, snap: keyframe}")
        #expect(error(stride).contains("needs sampling by time"))
        let motion = snapped.replacingOccurrences(
            of: "  sampling: {uniform: 8, snap: keyframe}",
            with: "  sampling: {uniform: 8, snap: keyframe}\n  motion: true")
        #expect(error(motion).contains("needs exact sampling"))
        let typo = Self.good.replacingOccurrences(
            of: "  sampling: {uniform: 8}", with: "  sampling: {uniform: 8, snap: keyframes}")
        #expect(error(typo).contains("allowed values: exact, keyframe"))
    }

    @Test func unknownTopLevelKey() {
        #expect(
            error(Self.good + "\nschedule: nightly")
                == "\(Self.file):12: unknown key 'schedule'; allowed keys in the top level: version, workdir, dataset, "
                + "extract, train, predict, evaluate")
    }

    @Test func wrongType() {
        let text = Self.good.replacingOccurrences(of: "  epochs: 5", with: "  epochs: five")
        #expect(error(text) == "\(Self.file):9: 'train.epochs' must be an integer, not 'five'")
    }

    @Test func wrongTypeMappingForScalar() {
        let text = Self.good.replacingOccurrences(of: "  epochs: 5", with: "  epochs: [5]")
        #expect(error(text) == "\(Self.file):9: 'train.epochs' must be an integer, not a list")
    }

    @Test func missingRequiredKey() {
        let text = Self.good.replacingOccurrences(of: "  task: clip\n", with: "")
        #expect(error(text) == "\(Self.file):8: 'train': missing required key 'task'")
    }

    @Test func missingVersion() {
        let text = Self.good.replacingOccurrences(of: "version: 1\n", with: "")
        #expect(error(text) == "\(Self.file):1: missing required key 'version' (this vidact reads version 1)")
    }

    @Test func wrongVersion() {
        let text = Self.good.replacingOccurrences(of: "version: 1", with: "version: 2")
        #expect(error(text) == "\(Self.file):1: 'version' is 2; this vidact reads version 1")
    }

    @Test func valueNotAllowed() {
        let text = Self.good.replacingOccurrences(of: "  task: clip", with: "  task: sentences")
        #expect(error(text) == "\(Self.file):8: 'train.task' is 'sentences'; allowed values: clip, frames, caption")
    }

    @Test func missingDatasetRoot() {
        let text = Self.good.replacingOccurrences(of: "  root: ../videos\n", with: "")
        #expect(error(text) == "\(Self.file):3: 'dataset': missing required key 'root'")
    }

    @Test func samplingNeedsExactlyOneMode() {
        let text = Self.good.replacingOccurrences(of: "{uniform: 8}", with: "{uniform: 8, fps: 2}")
        #expect(
            error(text)
                == "\(Self.file):6: 'extract.sampling' must be 'all' or give exactly one of fps, uniform, segments, stride"
        )
    }

    @Test func framesTaskNeedsSegments() {
        let text = Self.good.replacingOccurrences(of: "  task: clip", with: "  task: frames")
        #expect(
            error(text)
                == "\(Self.file):8: 'train.task' is frames, which needs 'dataset.segments' (the segment annotations CSV)"
        )
    }

    @Test func duplicateKey() {
        let text = Self.good.replacingOccurrences(of: "  epochs: 5", with: "  epochs: 5\n  epochs: 6")
        // libyaml (through Yams) refuses it before vidact sees the mapping.
        let message = error(text)
        #expect(message.hasPrefix("\(Self.file): not valid YAML: "), "\(message)")
        #expect(message.contains("duplicated key(s): 'epochs'"), "\(message)")
    }

    @Test func invalidYAML() {
        #expect(error("version: 1\ndataset: [unclosed").hasPrefix("\(Self.file):"))
        #expect(error("version: 1\ndataset: [unclosed").contains("not valid YAML"))
    }

    @Test func emptyFile() {
        #expect(error("") == "\(Self.file): the pipeline file is empty")
    }

    @Test func outOfRange() {
        let text = Self.good.replacingOccurrences(
            of: "  root: ../videos", with: "  root: ../videos\n  test_fraction: 1.5")
        #expect(error(text) == "\(Self.file):5: 'dataset.test_fraction' must be at least 0 and below 1")
    }
}

struct PipelineConfigDumpTests {
    @Test func theDumpIsAValidPipelineFileThatResolvesToTheSameConfig() throws {
        let config = try PipelineConfig.parse(PipelineConfigTests.good, file: PipelineConfigTests.file)
        let dumped = config.yaml
        #expect(dumped.contains("uniform: 8") && dumped.contains("short_side: 256"), "\(dumped)")
        let again = try PipelineConfig.parse(dumped, file: PipelineConfigTests.file)
        #expect(again == config, "\(dumped)")
    }
}

struct CaptionConfigTests {
    static let captionsFile = """
        version: 1
        dataset:
          layout: captions
          captions: ../data/captions.csv
        extract:
          sampling: {uniform: 8}
        train:
          task: caption
          architecture: mean-pool
          beam: 3
          max_words: 12
          baseline: true
        predict: {}
        evaluate: {}
        """

    @Test func captionTaskResolvesWithDefaults() throws {
        let config = try PipelineConfig.parse(CaptionConfigTests.captionsFile, file: PipelineConfigTests.file)
        #expect(config.dataset.layout == .captions && config.dataset.paths.captions == "/data/data/captions.csv")
        let caption = try #require(config.train?.caption)
        #expect(caption.architecture == .meanPool && caption.beam == 3 && caption.maxWords == 12)
        #expect(caption.embedding == 128 && caption.minCount == 1 && caption.lengthPenalty == 0)
        let again = try PipelineConfig.parse(config.yaml, file: PipelineConfigTests.file)
        #expect(again == config, "\(config.yaml)")
        // The caption keys are absent from the other tasks' resolved config (their hashes stay).
        let clip = try PipelineConfig.parse(PipelineConfigTests.good, file: PipelineConfigTests.file)
        #expect(clip.train?.caption == nil && !clip.canonicalJSON.contains("caption"))
    }

    @Test func captionTaskAndCaptionLayoutGoTogether() {
        #expect(
            PipelineConfigTests().error(
                PipelineConfigTests.good.replacingOccurrences(of: "  task: clip", with: "  task: caption"))
                == "\(PipelineConfigTests.file):8: 'train.task' is caption, which needs 'dataset.layout: captions' with "
                + "'dataset.captions' (a caption CSV)")
        #expect(
            PipelineConfigTests().error(
                CaptionConfigTests.captionsFile.replacingOccurrences(of: "  task: caption", with: "  task: clip")
            )
            .hasSuffix("'train.task' is clip, but the dataset is a caption file: use 'task: caption'"))
        #expect(
            PipelineConfigTests().error(
                PipelineConfigTests.good.replacingOccurrences(of: "  epochs: 5", with: "  beam: 2")
            )
            .hasSuffix("'train.beam' is a caption-task key; this train section has task clip"))
        #expect(
            PipelineConfigTests().error(
                CaptionConfigTests.captionsFile.replacingOccurrences(of: "  captions: ../data/captions.csv\n", with: "")
            )
            .contains("'captions'"))
    }

    @Test func scheduledSamplingAndAttentionSizeAreCaptionKeys() throws {
        let file = CaptionConfigTests.captionsFile.replacingOccurrences(
            of: "  beam: 3\n", with: "  beam: 3\n  scheduled_sampling: 0.25\n  attention_size: 48\n")
        let config = try PipelineConfig.parse(file, file: PipelineConfigTests.file)
        #expect(config.train?.caption?.scheduledSampling == 0.25 && config.train?.caption?.attentionSize == 48)
        #expect(try PipelineConfig.parse(config.yaml, file: PipelineConfigTests.file) == config, "\(config.yaml)")
        // Absent, it is absent from the resolved config too (the hashes of existing files stay).
        let plain = try PipelineConfig.parse(CaptionConfigTests.captionsFile, file: PipelineConfigTests.file)
        #expect(plain.train?.caption?.scheduledSampling == nil && !plain.canonicalJSON.contains("scheduled"))
        #expect(
            PipelineConfigTests().error(file.replacingOccurrences(of: "0.25", with: "1.5"))
                .hasSuffix("'train.scheduled_sampling' must be between 0 and 1"))
        #expect(
            PipelineConfigTests().error(
                PipelineConfigTests.good.replacingOccurrences(of: "  epochs: 5", with: "  scheduled_sampling: 0.1")
            )
            .hasSuffix("'train.scheduled_sampling' is a caption-task key; this train section has task clip"))
    }
}
