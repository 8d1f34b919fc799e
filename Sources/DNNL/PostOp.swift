// The operations oneDNN can fuse after a convolution or inner product, applied in order to each
// output value while it is still in registers: y = op_k(… op_1(conv(x) + bias)). vidact needs
// ReLU6 (MobileNet/EfficientNet-Lite activations, as eltwise clip to [0, 6]) and the residual add
// of inverted-residual blocks (oneDNN's `sum` post-op: the destination memory already holds the
// residual, and the result is written over it in place).

/// One fused post-operation.
public enum PostOp: Hashable, Sendable {
    /// max(y, 0) (`dnnl_eltwise_relu` with alpha 0).
    case relu
    /// min(max(y, 0), 6) (`dnnl_eltwise_clip` with bounds 0 and 6).
    case relu6
    /// min(max(y, lower), upper) (`dnnl_eltwise_clip`).
    case clip(lower: Float, upper: Float)
    /// y + scale · (what the destination held before the call) (`dnnl_post_ops_append_sum`). The
    /// destination must be filled with the residual, in the primitive's destination layout, before
    /// each execution.
    case sum(scale: Float)

    /// The residual add with scale 1.
    public static var residualAdd: PostOp { .sum(scale: 1) }
}
