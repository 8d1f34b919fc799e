// The window of a 2-D max or average pooling: kernel, stride and padding (each side separately).
// Shared by `Naive.maxPool2d`/`Naive.avgPool2d` and by the oneDNN pooling, so both read the same
// numbers.
//
// Shapes: N batch, C channels, H×W input, KH×KW window, OH×OW output, with (floor division)
//     OH = (H + padTop + padBottom - KH) / strideH + 1
// and likewise for OW. As in PyTorch, each padding must be smaller than the window, so every
// window overlaps the input; windows never reach past the padding.

/// Kernel, stride and padding of a 2-D pooling window.
public struct Pool2DGeometry: Hashable, Sendable {
    public var kernelH: Int
    public var kernelW: Int
    public var strideH: Int
    public var strideW: Int
    public var padTop: Int
    public var padBottom: Int
    public var padLeft: Int
    public var padRight: Int

    /// Every field spelled out.
    public init(
        kernelH: Int, kernelW: Int, strideH: Int, strideW: Int,
        padTop: Int = 0, padBottom: Int = 0, padLeft: Int = 0, padRight: Int = 0
    ) {
        precondition(
            kernelH > 0 && kernelW > 0 && strideH > 0 && strideW > 0,
            "Pool2DGeometry: kernel \(kernelH)x\(kernelW) and stride \(strideH)x\(strideW) must be positive")
        precondition(
            (0..<kernelH).contains(padTop) && (0..<kernelH).contains(padBottom)
                && (0..<kernelW).contains(padLeft) && (0..<kernelW).contains(padRight),
            "Pool2DGeometry: padding \(padTop),\(padBottom),\(padLeft),\(padRight) "
                + "must be in 0..<kernel (\(kernelH)x\(kernelW))"
        )
        self.kernelH = kernelH
        self.kernelW = kernelW
        self.strideH = strideH
        self.strideW = strideW
        self.padTop = padTop
        self.padBottom = padBottom
        self.padLeft = padLeft
        self.padRight = padRight
    }

    /// A square window; `stride` defaults to the kernel size, as in PyTorch.
    public init(kernel: Int, stride: Int? = nil, padding: Int = 0) {
        self.init(
            kernelH: kernel, kernelW: kernel, strideH: stride ?? kernel, strideW: stride ?? kernel,
            padTop: padding, padBottom: padding, padLeft: padding, padRight: padding)
    }

    /// OH×OW for an H×W input; traps when the padded input is smaller than the window.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        let paddedH = height + padTop + padBottom
        let paddedW = width + padLeft + padRight
        precondition(
            paddedH >= kernelH && paddedW >= kernelW,
            "Pool2DGeometry.outputSize: window \(kernelH)x\(kernelW) "
                + "does not fit the padded input \(paddedH)x\(paddedW)"
        )
        return ((paddedH - kernelH) / strideH + 1, (paddedW - kernelW) / strideW + 1)
    }
}
