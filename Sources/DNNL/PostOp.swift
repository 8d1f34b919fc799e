// The operations oneDNN can fuse after a convolution or inner product, applied in order to each
// output value while it is still in registers: y = op_k(… op_1(conv(x) + bias)). vidact needs
// ReLU6 (MobileNet/EfficientNet-Lite activations, as eltwise clip to [0, 6]) and the residual add
// of inverted-residual blocks (oneDNN's `sum` post-op: the destination memory already holds the
// residual, and the result is written over it in place).
//
// `depthwise` is different in kind: a whole k×k depthwise convolution run on the output of a 1x1
// convolution while it is still in cache, a few rows at a time, so the wide 1x1 output of an
// inverted-residual block never goes to memory. Post-ops before it apply to the 1x1 output, those
// after it to the depthwise output. Its weights and bias are execution arguments of the fused
// primitive (`Convolution(…, depthwise:)` owns them).

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
    /// each execution. `dataType`, when given, is the type the residual is stored as, if it is not
    /// the destination's (another of the same size: an s8 residual under a u8 destination;
    /// `dnnl_post_ops_append_sum_v2`).
    case sum(scale: Float, dataType: MemoryDescriptor.DataType? = nil)
    /// A depthwise convolution over the output so far (`dnnl_post_ops_append_dw`, f32): square
    /// `kernel`, `stride`, `paddingLeft` zero rows/columns before (top, left). oneDNN makes the
    /// output ⌈H/stride⌉×⌈W/stride⌉ and pads after (bottom, right) with whatever that takes, which
    /// is TensorFlow "SAME" padding when `paddingLeft` is SAME's smaller half. Only after a 1x1
    /// convolution.
    case depthwise(kernel: Int, stride: Int, paddingLeft: Int)

    /// The residual add with scale 1.
    public static var residualAdd: PostOp { .sum(scale: 1) }
}
