// Reference 2-D convolution (cross-correlation, as PyTorch and oneDNN compute it): the twin of
// oneDNN's convolution primitive, grouped and depthwise included.
//
// Shapes: input `[N, C, H, W]`; weight `[O, C/G, KH, KW]`; bias `[O]`; output `[N, O, OH, OW]`
// with OH, OW from `Conv2DGeometry.outputSize`. G groups: output channel o reads input channels
// g·C/G ..< (g+1)·C/G where g = o / (O/G). Depthwise is G = C (weight `[C·multiplier, 1, KH, KW]`).
// Padding is zeros. Sums are accumulated in Double over (input channel, kh, kw) in that order.

extension Naive {
    /// The convolution of `input` with `weight`, plus `bias` per output channel when given.
    public static func conv2d(
        _ input: Tensor, weight: Tensor, bias: Tensor? = nil, geometry: Conv2DGeometry = Conv2DGeometry()
    ) -> Tensor {
        let op = "Naive.conv2d"
        precondition(input.rank == 4, "\(op): input \(input.shape) must be [N, C, H, W]")
        precondition(weight.rank == 4, "\(op): weight \(weight.shape) must be [O, C/groups, KH, KW]")
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (outChannels, groupChannels, kernelH, kernelW) = (
            weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3]
        )
        let groups = geometry.groups
        precondition(
            channels % groups == 0 && outChannels % groups == 0 && groupChannels == channels / groups,
            "\(op): input \(input.shape) and weight \(weight.shape) do not agree with groups \(groups) "
                + "(need C and O divisible by groups, weight dim 1 = C/groups)"
        )
        if let bias {
            precondition(
                bias.shape == [outChannels],
                "\(op): bias \(bias.shape) must be [\(outChannels)] for weight \(weight.shape)")
        }
        let (outH, outW) = geometry.outputSize(
            height: height, width: width, kernelHeight: kernelH, kernelWidth: kernelW)
        let outPerGroup = outChannels / groups
        var output = Tensor(zeros: [batch, outChannels, outH, outW])
        output.withUnsafeMutableBufferPointer { out in
            for n in 0..<batch {
                for o in 0..<outChannels {
                    let firstChannel = (o / outPerGroup) * groupChannels
                    for oh in 0..<outH {
                        for ow in 0..<outW {
                            var sum = Double(bias?.storage[o] ?? 0)
                            for ic in 0..<groupChannels {
                                let c = firstChannel + ic
                                for kh in 0..<kernelH {
                                    let ih = oh * geometry.strideH - geometry.padTop + kh * geometry.dilationH
                                    guard ih >= 0 && ih < height else { continue }
                                    for kw in 0..<kernelW {
                                        let iw = ow * geometry.strideW - geometry.padLeft + kw * geometry.dilationW
                                        guard iw >= 0 && iw < width else { continue }
                                        let x = input.storage[((n * channels + c) * height + ih) * width + iw]
                                        let w = weight.storage[((o * groupChannels + ic) * kernelH + kh) * kernelW + kw]
                                        sum += Double(x) * Double(w)
                                    }
                                }
                            }
                            out[((n * outChannels + o) * outH + oh) * outW + ow] = Float(sum)
                        }
                    }
                }
            }
        }
        return output
    }
}
