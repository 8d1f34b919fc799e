// The int8 EfficientNet-Lite0 on TensorCore's naive ops (`Naive.quantizedConv2d` per layer, with
// the same `Int8Scheme` of scales): the twin of `EfficientNetLite0Int8`, layer for layer.
//
// Shapes as `NaiveEfficientNet`: input [N, 3, 224, 224]; map [N, 1280, 7, 7].
import TensorCore

public enum NaiveEfficientNetInt8 {
    /// The final map, [N, 1280, 7, 7], in f32 (the head dequantises).
    public static func featureMap(
        _ weights: EfficientNetLite0Weights, calibration: Int8Calibration, input: Tensor
    ) -> Tensor {
        featureMap(weights, calibration: calibration, input: input, stemInput: Int8Scheme.stemInput)
    }

    /// The same with the stem reading its input as `stemInput` says (`EfficientNetInt8Plan`'s choice
    /// by default).
    static func featureMap(
        _ weights: EfficientNetLite0Weights, calibration: Int8Calibration, input: Tensor,
        stemInput: Int8Scheme.StemInput
    ) -> Tensor {
        let scheme = Int8Scheme(weights: weights, calibration: calibration)
        var x: Tensor
        switch stemInput {
        case .s8: x = scheme.stem.naiveForward(Naive.quantize(input, scales: [Int8Scheme.inputScale], to: .s8))
        case .widenedU8:
            x = Int8WidenedStem(stem: scheme.stem, height: input.shape[2], width: input.shape[3]).naiveForward(input)
        }
        for block in scheme.blocks {
            var y = x
            if let expand = block.expand { y = expand.naiveForward(y) }
            y = block.depthwise.naiveForward(y)
            x = block.project.naiveForward(y, residual: block.project.residual ? x : nil)
        }
        return scheme.head.naiveForward(x)
    }

    public static func forward(
        _ weights: EfficientNetLite0Weights, calibration: Int8Calibration, input: Tensor, gridCells: Int = 2
    ) -> BackboneOutput {
        forward(weights, calibration: calibration, input: input, gridCells: gridCells, stemInput: Int8Scheme.stemInput)
    }

    static func forward(
        _ weights: EfficientNetLite0Weights, calibration: Int8Calibration, input: Tensor, gridCells: Int = 2,
        stemInput: Int8Scheme.StemInput
    ) -> BackboneOutput {
        BackboneOutput.naive(
            map: featureMap(weights, calibration: calibration, input: input, stemInput: stemInput),
            classifierWeight: weights.classifierWeight,
            bias: weights.classifierBias, gridCells: gridCells)
    }
}
