// Owner of a oneDNN post-ops chain, built from `PostOp` values and attached to a primitive through
// `PrimitiveAttributes`. The chain is copied into the attributes, so it may be released after.
import CDNNL

/// Owner of a `dnnl_post_ops_t`.
public final class PostOps {
    let pointer: dnnl_post_ops_t

    /// An empty chain.
    public init() throws {
        var postOps: dnnl_post_ops_t?
        try check(dnnl_post_ops_create(&postOps), "dnnl_post_ops_create", "creating post-ops")
        guard let postOps else { preconditionFailure("dnnl_post_ops_create succeeded without post-ops") }
        pointer = postOps
    }

    /// The chain `operations`, in order.
    public convenience init(_ operations: [PostOp]) throws {
        try self.init()
        for operation in operations {
            try append(operation)
        }
    }

    deinit {
        dnnl_post_ops_destroy(pointer)
    }

    /// Appends `operation` at the end of the chain.
    public func append(_ operation: PostOp) throws {
        let what = "appending post-op \(operation)"
        switch operation {
        case .relu:
            try check(
                dnnl_post_ops_append_eltwise(pointer, 1, dnnl_eltwise_relu, 0, 0), "dnnl_post_ops_append_eltwise", what)
        case .relu6:
            try check(
                dnnl_post_ops_append_eltwise(pointer, 1, dnnl_eltwise_clip, 0, 6), "dnnl_post_ops_append_eltwise", what)
        case .clip(let lower, let upper):
            precondition(lower <= upper, "PostOps.append: clip bounds \(lower) > \(upper)")
            try check(
                dnnl_post_ops_append_eltwise(pointer, 1, dnnl_eltwise_clip, lower, upper),
                "dnnl_post_ops_append_eltwise", what)
        case .sum(let scale, nil):
            try check(dnnl_post_ops_append_sum(pointer, scale), "dnnl_post_ops_append_sum", what)
        case .sum(let scale, let dataType?):
            try check(
                dnnl_post_ops_append_sum_v2(pointer, scale, dataType.raw), "dnnl_post_ops_append_sum_v2", what)
        case .depthwise(let kernel, let stride, let paddingLeft):
            precondition(
                kernel > 0 && stride > 0 && paddingLeft >= 0 && paddingLeft < kernel,
                "PostOps.append: depthwise kernel \(kernel), stride \(stride), padding \(paddingLeft)")
            // Output scales only matter for integer outputs; one common scale of 1 for f32.
            var scale: Float = 1
            try check(
                dnnl_post_ops_append_dw(
                    pointer, dnnl_f32, dnnl_f32, dnnl_f32, dnnl_dim_t(kernel), dnnl_dim_t(stride),
                    dnnl_dim_t(paddingLeft), 1, 0, &scale),
                "dnnl_post_ops_append_dw", what)
        }
    }

    /// Number of operations in the chain.
    public var count: Int { Int(dnnl_post_ops_len(pointer)) }
}
