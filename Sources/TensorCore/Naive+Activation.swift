// Reference activations: the twins of oneDNN's eltwise primitive (`eltwise_relu`,
// `eltwise_clip` with [0, 6] for ReLU6, which MobileNet and EfficientNet-Lite use). Elementwise,
// any shape. NaN propagates as NaN.

extension Naive {
    /// max(x, 0).
    public static func relu(_ input: Tensor) -> Tensor {
        input.map { $0.isNaN ? $0 : Swift.max($0, 0) }
    }

    /// min(max(x, 0), 6).
    public static func relu6(_ input: Tensor) -> Tensor {
        input.map { $0.isNaN ? $0 : Swift.min(Swift.max($0, 0), 6) }
    }
}
