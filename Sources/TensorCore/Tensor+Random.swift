// Random tensors from a `SeededRNG`, for seeded test inputs and initialisations. Values are drawn
// in row-major order, so a shape and a seed always give the same tensor.

extension Tensor {
    /// A tensor of `shape` with values uniform in [low, high), drawn in row-major order.
    public static func uniform(shape: [Int], _ low: Float, _ high: Float, using rng: inout SeededRNG) -> Tensor {
        Tensor(shape: shape) { _ in rng.uniform(low, high) }
    }

    /// A tensor of `shape` with normal values, drawn in row-major order.
    public static func normal(
        shape: [Int], mean: Float = 0, standardDeviation: Float = 1, using rng: inout SeededRNG
    ) -> Tensor {
        Tensor(shape: shape) { _ in rng.normal(mean: mean, standardDeviation: standardDeviation) }
    }
}
