// A convolution with its BatchNorm folded in, ready for inference, and the folding itself:
//     W'[o] = W[o] · γ[o] / √(var[o] + ε),   b'[o] = β[o] − mean[o] · γ[o] / √(var[o] + ε)
// so that conv(x, W') + b' equals BN(conv(x, W)) in exact arithmetic. ε is always added: some
// channels of the real weights have a running variance of exactly 0.
//
// Shapes: O output channels, I/G input channels per group, KH×KW kernel; weight [O, I/G, KH, KW].
import DNNL
import TensorCore

/// A convolution (bias included) plus the activation that follows it.
public struct FoldedConvolution: Sendable {
    public enum Activation: Sendable, Equatable {
        case none
        case relu
        case relu6

        /// The fused oneDNN post-op, nil for none.
        var postOp: PostOp? {
            switch self {
            case .none: nil
            case .relu: .relu
            case .relu6: .relu6
            }
        }
    }

    public var weight: Tensor
    public var bias: Tensor
    public var geometry: Conv2DGeometry
    public var activation: Activation

    public var outputChannels: Int { weight.shape[0] }
    public var kernel: Int { weight.shape[2] }

    /// Folds eval-mode BatchNorm statistics into a bias-free convolution weight.
    public init(
        weight: Tensor, batchNorm: BatchNormStatistics, epsilon: Float, geometry: Conv2DGeometry, activation: Activation
    ) {
        let o = weight.shape[0]
        precondition(
            weight.rank == 4 && batchNorm.mean.shape == [o] && batchNorm.variance.shape == [o]
                && batchNorm.gamma.shape == [o] && batchNorm.beta.shape == [o],
            "FoldedConvolution: weight \(weight.shape) with BatchNorm of \(batchNorm.mean.shape)")
        let perChannel = weight.count / o
        var folded = weight
        var bias = Tensor(zeros: [o])
        for channel in 0..<o {
            // Double keeps the fold itself from adding rounding beyond the final F32 store.
            let scale =
                Double(batchNorm.gamma[channel]) / (Double(batchNorm.variance[channel]) + Double(epsilon)).squareRoot()
            for i in 0..<perChannel {
                folded[flat: channel * perChannel + i] = Float(Double(weight[flat: channel * perChannel + i]) * scale)
            }
            bias[channel] = Float(Double(batchNorm.beta[channel]) - Double(batchNorm.mean[channel]) * scale)
        }
        self.init(weight: folded, bias: bias, geometry: geometry, activation: activation)
    }

    public init(weight: Tensor, bias: Tensor, geometry: Conv2DGeometry, activation: Activation) {
        precondition(
            bias.shape == [weight.shape[0]], "FoldedConvolution: bias \(bias.shape) for weight \(weight.shape)")
        self.weight = weight
        self.bias = bias
        self.geometry = geometry
        self.activation = activation
    }

    /// The naive twin: TensorCore's reference convolution and activation. Input NCHW.
    public func naiveForward(_ input: Tensor) -> Tensor {
        let output = Naive.conv2d(input, weight: weight, bias: bias, geometry: geometry)
        switch activation {
        case .none: return output
        case .relu: return Naive.relu(output)
        case .relu6: return Naive.relu6(output)
        }
    }
}

/// The four per-channel tensors of an eval-mode BatchNorm2d.
public struct BatchNormStatistics: Sendable {
    public var gamma: Tensor
    public var beta: Tensor
    public var mean: Tensor
    public var variance: Tensor

    public init(gamma: Tensor, beta: Tensor, mean: Tensor, variance: Tensor) {
        self.gamma = gamma
        self.beta = beta
        self.mean = mean
        self.variance = variance
    }

    /// BN(x) per channel on an NCHW tensor, for checking the fold.
    public func apply(_ x: Tensor, epsilon: Float) -> Tensor {
        let c = x.shape[1]
        let plane = x.shape[2] * x.shape[3]
        var y = x
        for index in 0..<x.count {
            let channel = (index / plane) % c
            let normalised = (x[flat: index] - mean[channel]) / (variance[channel] + epsilon).squareRoot()
            y[flat: index] = normalised * gamma[channel] + beta[channel]
        }
        return y
    }
}

extension FoldedConvolution {
    /// This layer as a oneDNN convolution on `source`, with its activation fused. With
    /// `residualInto`, the result is added to that memory (the `sum` post-op, which oneDNN's JIT
    /// kernels want before any eltwise), then `afterSum` applies (ResNet's ReLU), then the
    /// layer's own activation. Shared by every backbone's plan.
    func makeConvolution(
        source: MemoryDescriptor, stream: DNNL.Stream, residualInto: MemoryDescriptor? = nil, afterSum: [PostOp] = []
    ) throws -> Convolution {
        var postOps: [PostOp] = residualInto == nil ? [] : [.residualAdd] + afterSum
        if let activation = activation.postOp { postOps.append(activation) }
        let layer = try Convolution(
            source: source, weight: weight, bias: bias, geometry: geometry, postOps: postOps,
            destination: residualInto, stream: stream)
        // With its destination layout left to oneDNN 2.6, a depthwise convolution on an AVX-512 CPU
        // can resolve to the reference kernel (`ref:any`, channels-last output: block 0 of
        // EfficientNet-Lite0 took 300 ms per pass of 4 images, the whole network 13 images/s instead
        // of 200). Asking for the source's own layout gets the JIT kernel.
        if residualInto == nil, layer.implementationName.hasPrefix("ref"),
            let same = layer.sourceDescriptor.sameLayout(shape: layer.destinationDescriptor.shape)
        {
            let retry = try Convolution(
                source: source, weight: weight, bias: bias, geometry: geometry, postOps: postOps, destination: same,
                stream: stream)
            if !retry.implementationName.hasPrefix("ref") { return retry }
        }
        return layer
    }

    /// The `.depthwise` post-op that runs `depthwise` (a k×k depthwise convolution with square
    /// stride) on this layer's output of `size`x`size`, or nil when its padding is not what oneDNN's
    /// fused depthwise computes: `paddingLeft` before and, after, whatever makes the output
    /// ⌈size/stride⌉ (TensorFlow "SAME" qualifies, symmetric or not).
    func depthwisePostOp(_ depthwise: FoldedConvolution, inputSize size: Int) -> PostOp? {
        let g = depthwise.geometry
        let (kernel, stride) = (depthwise.kernel, g.strideH)
        let output = (size + stride - 1) / stride
        let after = (output - 1) * stride + kernel - size - g.padTop
        guard
            self.kernel == 1 && g.groups == depthwise.outputChannels && depthwise.weight.shape[3] == kernel
                && g.strideW == stride && g.dilationH == 1 && g.dilationW == 1 && g.padLeft == g.padTop
                && g.padBottom == after && g.padRight == after
        else { return nil }
        return .depthwise(kernel: kernel, stride: stride, paddingLeft: g.padTop)
    }

    /// This 1x1 layer and `depthwise` after it as one oneDNN primitive (`fusion` from
    /// `depthwisePostOp`): this layer's activation, then the depthwise convolution, then its
    /// activation. Throws `unimplemented` where oneDNN has no fused kernel for the shapes.
    func makeConvolution(
        fusing depthwise: FoldedConvolution, as fusion: PostOp, source: MemoryDescriptor, stream: DNNL.Stream
    ) throws -> Convolution {
        let postOps = [activation.postOp, fusion, depthwise.activation.postOp].compactMap { $0 }
        return try Convolution(
            source: source, weight: weight, bias: bias, geometry: geometry, postOps: postOps,
            depthwise: (depthwise.weight, depthwise.bias), stream: stream)
    }
}
