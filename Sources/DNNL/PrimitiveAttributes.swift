// Owner of a oneDNN primitive attribute set: the optional extras of a primitive descriptor. vidact
// uses the post-ops chain only; the scratchpad stays in oneDNN's default library-managed mode
// (each primitive gets its temporary buffer from oneDNN, nothing to pass at execution).
import CDNNL

/// Owner of a `dnnl_primitive_attr_t`.
public final class PrimitiveAttributes {
    let pointer: dnnl_primitive_attr_t

    /// Default attributes (no post-ops).
    public init() throws {
        var attributes: dnnl_primitive_attr_t?
        try check(dnnl_primitive_attr_create(&attributes), "dnnl_primitive_attr_create", "creating attributes")
        guard let attributes else { preconditionFailure("dnnl_primitive_attr_create succeeded without attributes") }
        pointer = attributes
    }

    /// Attributes carrying a copy of `postOps`.
    public convenience init(postOps: PostOps) throws {
        try self.init()
        try setPostOps(postOps)
    }

    deinit {
        dnnl_primitive_attr_destroy(pointer)
    }

    /// Replaces the post-ops chain with a copy of `postOps`.
    /// Scales the result before the post-ops: one scale for every element (`mask` 0) or one per
    /// index of the dimensions whose bits are set in `mask` (1 << 1: per output channel of a
    /// convolution; for a reorder of OIHW weights 1 << 0, of GOIHW weights (1 << 0) | (1 << 1)).
    /// In oneDNN 2.x an int8 convolution computes (accumulator + bias) × scale, then the post-ops.
    public func setOutputScales(_ scales: [Float], mask: Int32) throws {
        precondition(!scales.isEmpty, "PrimitiveAttributes.setOutputScales: no scales")
        try check(
            dnnl_primitive_attr_set_output_scales(pointer, dnnl_dim_t(scales.count), mask, scales),
            "dnnl_primitive_attr_set_output_scales", "setting \(scales.count) output scales with mask \(mask)")
    }

    public func setPostOps(_ postOps: PostOps) throws {
        try check(
            dnnl_primitive_attr_set_post_ops(pointer, postOps.pointer), "dnnl_primitive_attr_set_post_ops",
            "attaching \(postOps.count) post-ops")
    }
}
