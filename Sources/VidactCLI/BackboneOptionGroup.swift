// The CNN options shared by `classify`, `cnn-bench` and `features extract`: which backbone, its
// weights file, and the models directory that holds the default weights (EfficientNet-Lite0's,
// from scripts/fetch-weights).
import ArgumentParser
import Basics
import ConvNets
import Extraction
import Foundation

struct BackboneOptionGroup: ParsableArguments {
    @Option(help: "The CNN: efficientnet-lite0, resnet18 or resnet50.")
    var backbone: Backbone = .efficientnetLite0

    @Option(
        help: ArgumentHelp(
            "Weights file (safetensors, PyTorch state_dict names).",
            discussion:
                "Required for resnet18/resnet50; default for efficientnet-lite0: MODELS/efficientnet_lite0.safetensors."
        ))
    var weights: String?

    @Option(
        help: ArgumentHelp(
            "Directory with efficientnet_lite0.safetensors (and imagenet_classes.txt for classify).",
            discussion:
                "Default: the first of $VIDACT_MODELS, ./models, ~/.local/share/vidact/models, "
                + "PREFIX/share/vidact/models (an installed vidact) and the checkout's models/ that holds the weights."
        ))
    var models: String?

    @Option(help: "CNN arithmetic: f32, or int8 (calibrated scales, see `vidact calibrate`).")
    var precision: Precision = .f32

    @Option(
        help: ArgumentHelp(
            "int8 scales file (`vidact calibrate`).",
            discussion:
                "Default for efficientnet-lite0: MODELS/efficientnet_lite0.int8.json, the shipped calibration; "
                + "required for resnet18/resnet50 (their scales depend on your weights)."))
    var calibration: String?

    func validate() throws {
        if weights == nil && backbone.defaultWeightsFile == nil {
            throw ValidationError(
                "--backbone \(backbone.rawValue) needs --weights FILE: a torchvision \(backbone.rawValue) state_dict "
                    + "saved as safetensors (vidact does not download ResNet weights; "
                    + "scripts/make-seeded-resnet makes seeded ones for benchmarks)")
        }
    }

    /// --models, or the first folder of the standard search (`ModelSearch`) that holds the default
    /// weights, or ./models (so that the error names a file).
    var modelsFolder: String {
        if let models { return models }
        let search = ModelSearch.standard(
            beside: FileManager.default.currentDirectoryPath, besideOrigin: "in the current folder")
        return search.folder(holding: backbone.defaultWeightsFile ?? "imagenet_classes.txt") ?? "models"
    }

    /// --calibration, or the backbone's default calibration in the models folder (int8 only).
    var calibrationPath: String? {
        guard precision == .int8 else { return nil }
        return calibration ?? Int8Calibration.defaultFile(for: backbone).map { "\(modelsFolder)/\($0)" }
    }

    /// The extraction's precision, the calibration read (and checked) for int8.
    func extractionPrecision() throws -> CNNPrecision {
        guard precision == .int8, let path = calibrationPath else { return .f32 }
        return .int8(calibration: path, identity: try Int8Calibration.load(path: path, backbone: backbone).identity)
    }

    /// The network these options describe.
    func load(threads: Int? = nil) throws -> any FeatureExtractor {
        try backbone.load(weights: weightsPath, threads: threads, precision: precision, calibration: calibrationPath)
    }

    /// --weights, or the backbone's file in the models folder.
    var weightsPath: String {
        weights ?? "\(modelsFolder)/\(backbone.defaultWeightsFile ?? "")"
    }
}
