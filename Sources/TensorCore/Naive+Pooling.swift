// Reference pooling: the twins of oneDNN's max and average pooling, and the global average pooling
// that turns a backbone's last feature map into one feature vector per image.
//
// Shapes: input `[N, C, H, W]`; output `[N, C, OH, OW]` with OH, OW from
// `Pool2DGeometry.outputSize`; global pooling gives `[N, C, 1, 1]` (PyTorch's
// `adaptive_avg_pool2d(x, 1)`; reshape to `[N, C]` for features). Max pooling ignores padded cells
// (as if they were -inf). Average pooling divides by KH·KW when padding counts (PyTorch's default
// `count_include_pad=True`, oneDNN's `avg_include_padding`) or by the number of input cells in the
// window when it does not (`avg_exclude_padding`). Sums are accumulated in Double.

extension Naive {
    /// Max pooling over each window.
    public static func maxPool2d(_ input: Tensor, geometry: Pool2DGeometry) -> Tensor {
        pool(input, geometry: geometry, op: "Naive.maxPool2d") { cells, _ in
            cells.reduce(-Float.infinity) { Swift.max($0, $1) }
        }
    }

    /// Average pooling over each window.
    public static func avgPool2d(_ input: Tensor, geometry: Pool2DGeometry, countIncludesPadding: Bool = true) -> Tensor
    {
        pool(input, geometry: geometry, op: "Naive.avgPool2d") { cells, windowArea in
            let sum = cells.reduce(0.0) { $0 + Double($1) }
            return Float(sum / Double(countIncludesPadding ? windowArea : cells.count))
        }
    }

    /// The mean of each channel over H×W: `[N, C, H, W]` → `[N, C, 1, 1]`.
    public static func globalAvgPool2d(_ input: Tensor) -> Tensor {
        precondition(input.rank == 4, "Naive.globalAvgPool2d: input \(input.shape) must be [N, C, H, W]")
        let (batch, channels) = (input.shape[0], input.shape[1])
        let area = input.shape[2] * input.shape[3]
        precondition(area > 0, "Naive.globalAvgPool2d: input \(input.shape) has no pixels")
        return Tensor(shape: [batch, channels, 1, 1]) { plane in
            let sum = input.storage[plane * area..<(plane + 1) * area].reduce(0.0) { $0 + Double($1) }
            return Float(sum / Double(area))
        }
    }

    /// Applies `reduce(cells inside the input, KH·KW)` to every window.
    private static func pool(
        _ input: Tensor, geometry g: Pool2DGeometry, op: String, reduce: ([Float], Int) -> Float
    ) -> Tensor {
        precondition(input.rank == 4, "\(op): input \(input.shape) must be [N, C, H, W]")
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (outH, outW) = g.outputSize(height: height, width: width)
        var output = Tensor(zeros: [batch, channels, outH, outW])
        var cells: [Float] = []
        cells.reserveCapacity(g.kernelH * g.kernelW)
        output.withUnsafeMutableBufferPointer { out in
            for plane in 0..<(batch * channels) {
                for oh in 0..<outH {
                    for ow in 0..<outW {
                        cells.removeAll(keepingCapacity: true)
                        for kh in 0..<g.kernelH {
                            let ih = oh * g.strideH - g.padTop + kh
                            guard ih >= 0 && ih < height else { continue }
                            for kw in 0..<g.kernelW {
                                let iw = ow * g.strideW - g.padLeft + kw
                                guard iw >= 0 && iw < width else { continue }
                                cells.append(input.storage[(plane * height + ih) * width + iw])
                            }
                        }
                        out[(plane * outH + oh) * outW + ow] = reduce(cells, g.kernelH * g.kernelW)
                    }
                }
            }
        }
        return output
    }
}
