// EfficientNet-Lite0 inference with TensorCore's naive reference ops: the slow twin that the
// oneDNN network is checked against, itself checked against PyTorch's outputs.
//
// Shapes: N batch; input [N, 3, 224, 224]; final map [N, 1280, 7, 7]; features [N, 1280];
// grid [N, 2, 2, 1280] (row, column, channel); logits [N, 1000].
import TensorCore

public enum NaiveEfficientNet {
    /// The final 1280-channel map, [N, 1280, 7, 7].
    public static func featureMap(_ weights: EfficientNetLite0Weights, input: Tensor) -> Tensor {
        var x = weights.stem.naiveForward(input)
        for block in weights.blocks {
            let shortcut = x
            if let expand = block.expand { x = expand.naiveForward(x) }
            x = block.depthwise.naiveForward(x)
            x = block.project.naiveForward(x)
            if block.spec.hasResidual { x = x + shortcut }
        }
        return weights.head.naiveForward(x)
    }

    public static func forward(_ weights: EfficientNetLite0Weights, input: Tensor, gridCells: Int = 2) -> BackboneOutput
    {
        BackboneOutput.naive(
            map: featureMap(weights, input: input), classifierWeight: weights.classifierWeight,
            bias: weights.classifierBias, gridCells: gridCells)
    }
}

/// Adaptive average pooling to cells × cells, with PyTorch's bins
/// [floor(i·H/cells), ceil((i+1)·H/cells)), which overlap when H is not a multiple of cells.
public enum GridPooling {
    /// [N, C, H, W] → [N, cells, cells, C]. Runs on every CNN batch, so it reads the map through a
    /// buffer pointer: per-element subscripts cost ~7 % of a batch-16 forward pass.
    public static func adaptiveAverage(_ map: Tensor, cells: Int) -> Tensor {
        let (n, c, h, w) = (map.shape[0], map.shape[1], map.shape[2], map.shape[3])
        var out = [Float](repeating: 0, count: n * cells * cells * c)
        map.withUnsafeBufferPointer { values in
            for b in 0..<n {
                for i in 0..<cells {
                    let rows = (i * h / cells)..<(((i + 1) * h + cells - 1) / cells)
                    for j in 0..<cells {
                        let cols = (j * w / cells)..<(((j + 1) * w + cells - 1) / cells)
                        let area = Float(rows.count * cols.count)
                        let cell = ((b * cells + i) * cells + j) * c
                        for channel in 0..<c {
                            let plane = (b * c + channel) * h * w
                            var sum: Float = 0
                            for r in rows { for q in cols { sum += values[plane + r * w + q] } }
                            out[cell + channel] = sum / area
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, cells, cells, c], storage: out)
    }

    /// The same on a channels-last map [N, H, W, C] → [N, cells, cells, C], each channel summed in
    /// the same order (rows, then columns), so the result is bit-identical.
    public static func adaptiveAverage(channelsLast map: Tensor, cells: Int) -> Tensor {
        let (n, h, w, c) = (map.shape[0], map.shape[1], map.shape[2], map.shape[3])
        var out = [Float](repeating: 0, count: n * cells * cells * c)
        map.withUnsafeBufferPointer { values in
            out.withUnsafeMutableBufferPointer { sums in
                for b in 0..<n {
                    for i in 0..<cells {
                        let rows = (i * h / cells)..<(((i + 1) * h + cells - 1) / cells)
                        for j in 0..<cells {
                            let cols = (j * w / cells)..<(((j + 1) * w + cells - 1) / cells)
                            let cell = ((b * cells + i) * cells + j) * c
                            for r in rows {
                                for q in cols {
                                    let pixel = ((b * h + r) * w + q) * c
                                    for k in 0..<c { sums[cell + k] += values[pixel + k] }
                                }
                            }
                            let area = Float(rows.count * cols.count)
                            for k in 0..<c { sums[cell + k] /= area }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, cells, cells, c], storage: out)
    }
}
