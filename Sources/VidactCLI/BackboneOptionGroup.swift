// The CNN options shared by `classify`, `cnn-bench` and `features extract`: which backbone, its
// weights file, and the models directory that holds the default weights (EfficientNet-Lite0's,
// from scripts/fetch-weights).
import ArgumentParser
import ConvNets
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

    @Option(help: "Directory with efficientnet_lite0.safetensors (and imagenet_classes.txt for classify).")
    var models: String = ProcessInfo.processInfo.environment["VIDACT_MODELS"] ?? "models"

    func validate() throws {
        if weights == nil && backbone.defaultWeightsFile == nil {
            throw ValidationError(
                "--backbone \(backbone.rawValue) needs --weights FILE: a torchvision \(backbone.rawValue) state_dict "
                    + "saved as safetensors (vidact does not download ResNet weights; "
                    + "scripts/make-seeded-resnet makes seeded ones for benchmarks)")
        }
    }

    /// --weights, or the backbone's file in --models.
    var weightsPath: String {
        weights ?? "\(models)/\(backbone.defaultWeightsFile ?? "")"
    }
}
