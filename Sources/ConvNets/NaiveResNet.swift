// ResNet-18/50 inference with TensorCore's naive reference ops: the slow twin that the oneDNN
// network is checked against on seeded inputs, itself checked against PyTorch's outputs.
//
// Shapes: N batch; input [N, 3, H, W]; final map [N, D, H/32, W/32]; features [N, D];
// grid [N, g, g, D]; logits [N, 1000].
import TensorCore

public enum NaiveResNet {
    /// The final map, [N, D, H/32, W/32].
    public static func featureMap(_ weights: ResNetWeights, input: Tensor) -> Tensor {
        var x = Naive.maxPool2d(weights.stem.naiveForward(input), geometry: ResNetSpec.poolGeometry)
        for block in weights.stages.joined() {
            let shortcut = block.downsample?.naiveForward(x) ?? x
            for conv in block.convolutions { x = conv.naiveForward(x) }
            x = Naive.relu(x + shortcut)
        }
        return x
    }

    public static func forward(_ weights: ResNetWeights, input: Tensor, gridCells: Int = 2) -> BackboneOutput {
        BackboneOutput.naive(
            map: featureMap(weights, input: input), classifierWeight: weights.classifierWeight,
            bias: weights.classifierBias, gridCells: gridCells)
    }
}
