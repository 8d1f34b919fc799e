// The int8 ResNet on TensorCore's naive ops (`Naive.quantizedConv2d` per layer, with the same
// `ResNetInt8Scheme` of scales, `Naive.maxPool2d` on the integer stem output): the twin of
// `ResNetInt8`, layer for layer.
//
// Shapes as `NaiveResNet`: input [N, 3, H, W]; map [N, D, H/32, W/32].
import TensorCore

public enum NaiveResNetInt8 {
    /// The final map in f32 (the last block's output dequantised per channel).
    public static func featureMap(_ weights: ResNetWeights, calibration: Int8Calibration, input: Tensor) -> Tensor {
        let scheme = ResNetInt8Scheme(weights: weights, calibration: calibration)
        let quantized = Naive.quantize(input, scales: scheme.inputScales, axis: 1, to: .s8)
        var x = Naive.maxPool2d(scheme.stem.naiveForward(quantized), geometry: ResNetSpec.poolGeometry)
        for block in scheme.blocks {
            var y = x
            for layer in block.inner { y = layer.naiveForward(y) }
            x = block.last.naiveForward(y, residual: block.downsample?.naiveForward(x) ?? x)
        }
        let inverse = scheme.output.scales.map { 1 / $0 }
        let plane = x.shape[2] * x.shape[3]
        let channels = x.shape[1]
        x.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] *= inverse[(i / plane) % channels] }
        }
        return x
    }

    public static func forward(
        _ weights: ResNetWeights, calibration: Int8Calibration, input: Tensor, gridCells: Int = 2
    ) -> BackboneOutput {
        BackboneOutput.naive(
            map: featureMap(weights, calibration: calibration, input: input),
            classifierWeight: weights.classifierWeight, bias: weights.classifierBias, gridCells: gridCells)
    }
}
