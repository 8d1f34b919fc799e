// The naive twins: plain-loop reference implementations of the ops that oneDNN runs fast. Each is
// written for obviousness, not speed (direct loops, Double accumulators, no blocking), so a fast
// kernel can be checked against it on seeded random input (ggml `test-backend-ops`). The ops live
// in `Naive+<Op>.swift`; each traps on a shape mismatch with a message naming the op and shapes.
//
// Layouts: matrices are row-major `[rows, cols]`; images are NCHW (N batch, C channels, H height,
// W width); convolution weights are OIHW (O output channels, I = C / groups input channels per
// group, KH×KW kernel), as in PyTorch.

/// Namespace of the naive reference ops.
public enum Naive {}
