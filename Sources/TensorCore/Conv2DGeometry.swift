// How a 2-D convolution walks its input: stride, padding (each side separately, since
// TensorFlow-style "same" padding is asymmetric), dilation and groups. Shared by the naive
// reference in `Naive.conv2d` and by the oneDNN convolution, so both read the same numbers.
//
// Shapes: N batch, C input channels, O output channels, G groups, H×W input height and width,
// KH×KW kernel, OH×OW output. Conventions are PyTorch's: dilation 1 means adjacent kernel taps
// (oneDNN counts dilation from 0; its wrapper converts), and
//     OH = (H + padTop + padBottom - dilationH·(KH - 1) - 1) / strideH + 1   (floor division)
// and likewise for OW.

/// Stride, padding, dilation and groups of a 2-D convolution.
public struct Conv2DGeometry: Hashable, Sendable {
    public var strideH: Int
    public var strideW: Int
    public var padTop: Int
    public var padBottom: Int
    public var padLeft: Int
    public var padRight: Int
    public var dilationH: Int
    public var dilationW: Int
    /// Input and output channels are split into this many independent groups (C for depthwise).
    public var groups: Int

    /// Every field spelled out.
    public init(
        strideH: Int, strideW: Int, padTop: Int, padBottom: Int, padLeft: Int, padRight: Int,
        dilationH: Int = 1, dilationW: Int = 1, groups: Int = 1
    ) {
        precondition(
            strideH > 0 && strideW > 0 && dilationH > 0 && dilationW > 0 && groups > 0,
            "Conv2DGeometry: stride \(strideH)x\(strideW), dilation \(dilationH)x\(dilationW), "
                + "groups \(groups) must be positive"
        )
        precondition(
            padTop >= 0 && padBottom >= 0 && padLeft >= 0 && padRight >= 0,
            "Conv2DGeometry: padding \(padTop),\(padBottom),\(padLeft),\(padRight) must not be negative")
        self.strideH = strideH
        self.strideW = strideW
        self.padTop = padTop
        self.padBottom = padBottom
        self.padLeft = padLeft
        self.padRight = padRight
        self.dilationH = dilationH
        self.dilationW = dilationW
        self.groups = groups
    }

    /// The same stride, padding and dilation in both directions (PyTorch's `Conv2d` arguments).
    public init(stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) {
        self.init(
            strideH: stride, strideW: stride, padTop: padding, padBottom: padding, padLeft: padding,
            padRight: padding, dilationH: dilation, dilationW: dilation, groups: groups)
    }

    /// OH×OW for an H×W input and a KH×KW kernel; traps when the padded input is smaller than the
    /// dilated kernel.
    public func outputSize(height: Int, width: Int, kernelHeight: Int, kernelWidth: Int) -> (height: Int, width: Int) {
        let spanH = dilationH * (kernelHeight - 1) + 1
        let spanW = dilationW * (kernelWidth - 1) + 1
        let paddedH = height + padTop + padBottom
        let paddedW = width + padLeft + padRight
        precondition(
            kernelHeight > 0 && kernelWidth > 0 && paddedH >= spanH && paddedW >= spanW,
            "Conv2DGeometry.outputSize: kernel \(kernelHeight)x\(kernelWidth) dilated to \(spanH)x\(spanW) "
                + "does not fit the padded input \(paddedH)x\(paddedW)"
        )
        return ((paddedH - spanH) / strideH + 1, (paddedW - spanW) / strideW + 1)
    }
}
