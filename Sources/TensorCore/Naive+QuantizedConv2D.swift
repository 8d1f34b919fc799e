// Reference int8 convolution: the twin of oneDNN 2.x's int8 convolution (`DNNL.Convolution` with a
// `ConvolutionQuantization`), step for step, so the fast path can be checked layer by layer:
// weights quantised per output channel (round to nearest, ties to even, saturate to s8), integer
// source values, exact integer accumulation, then in Float: (accumulator + bias) × output scale,
// clip, + residual × sum scale, then round and saturate into u8/s8 (or stay f32).
//
// Shapes as `Naive.conv2d`: source `[N, C, H, W]` holding integers (u8 or s8 values as Float),
// weight `[O, C/G, KH, KW]` in f32, bias `[O]` in accumulator units, output `[N, O, OH, OW]`.

extension Naive {
    /// An integer type a quantised tensor is stored in.
    public enum IntegerType: Sendable {
        case u8
        case s8

        public var range: ClosedRange<Float> { self == .u8 ? 0...255 : -128...127 }
    }

    /// `value` rounded to the nearest integer (ties to even, as oneDNN's conversions) and
    /// saturated into `type`'s range.
    public static func quantize(_ value: Float, _ type: IntegerType) -> Float {
        let range = type.range
        return min(max(value.rounded(.toNearestOrEven), range.lowerBound), range.upperBound)
    }

    /// `tensor` × `scales[i]` along `axis` (one scale for all when `scales` has one element),
    /// rounded and saturated into `type`: what a scaled oneDNN reorder into u8/s8 gives.
    public static func quantize(_ tensor: Tensor, scales: [Float], axis: Int = 0, to type: IntegerType) -> Tensor {
        precondition(
            scales.count == 1 || scales.count == tensor.shape[axis],
            "Naive.quantize: \(scales.count) scales for axis \(axis) of \(tensor.shape)")
        let inner = tensor.shape[(axis + 1)...].reduce(1, *)
        let size = tensor.shape[axis]
        var result = tensor
        result.withUnsafeMutableBufferPointer { values in
            for i in values.indices {
                let scale = scales.count == 1 ? scales[0] : scales[(i / inner) % size]
                values[i] = quantize(values[i] * scale, type)
            }
        }
        return result
    }

    /// The int8 convolution: `source` integers, `weight` quantised with `weightScales` per output
    /// channel, then per output element `d = (acc + bias[o]) × outputScales[o]`, clipped to `clip`,
    /// plus `residual × sumScale` (residual in the destination's integers), stored into
    /// `destination` (nil: f32).
    public static func quantizedConv2d(
        _ source: Tensor, weight: Tensor, weightScales: [Float], bias: Tensor?, outputScales: [Float],
        geometry: Conv2DGeometry = Conv2DGeometry(), clip: ClosedRange<Float>? = nil,
        residual: (tensor: Tensor, scale: Float)? = nil, clipAfterResidual: ClosedRange<Float>? = nil,
        destination: IntegerType?
    ) -> Tensor {
        let outChannels = weight.shape[0]
        precondition(
            weightScales.count == outChannels && outputScales.count == outChannels,
            "Naive.quantizedConv2d: one weight scale and one output scale per output channel")
        let quantizedWeight = quantize(weight, scales: weightScales, axis: 0, to: .s8)
        // Integer inputs and weights: the Double sums of `conv2d` are exact, and its Float result
        // is the accumulator converted to Float as oneDNN converts its s32.
        var output = conv2d(source, weight: quantizedWeight, geometry: geometry)
        if let residual {
            precondition(
                residual.tensor.shape == output.shape, "Naive.quantizedConv2d: residual \(residual.tensor.shape)")
        }
        let plane = output.shape[2] * output.shape[3]
        output.withUnsafeMutableBufferPointer { values in
            for i in values.indices {
                let o = (i / plane) % outChannels
                var d = values[i]
                if let bias { d += bias.storage[o] }
                d *= outputScales[o]
                if let clip { d = min(max(d, clip.lowerBound), clip.upperBound) }
                if let residual { d += residual.scale * residual.tensor.storage[i] }
                if let clip = clipAfterResidual { d = min(max(d, clip.lowerBound), clip.upperBound) }
                values[i] = destination.map { quantize(d, $0) } ?? d
            }
        }
        return output
    }
}
