// Which code runs the elementwise loops of a training step that have a C twin in `CKernels`: the
// LSTM cells (`LSTM+Cell.swift`), the softmax of the loss (`SoftmaxCrossEntropy.softmaxRow`), the
// Adam update (`AdamOptimizer.swift`), and `RowMajor`'s transpose and column sums. Swift builds for
// baseline x86-64, so its `SIMD8<Float>` loops run as pairs of 4-wide SSE instructions; the C
// kernels use AVX2 (and FMA in the cells) where the CPU has them. The Swift loops stay the
// portable path and the reference the tests compare the kernels with.

import CKernels
import Foundation

/// The code path of the elementwise loops that have an AVX2 twin.
public enum ElementwiseKernel: String, Sendable, CaseIterable {
    /// The Swift loops (any CPU).
    case portable
    /// `CKernels`' AVX2 twins (x86-64 CPUs with AVX2 and FMA).
    case avx2

    /// `avx2` where the CPU and OS support it, unless `VIDACT_KERNELS=portable` asks for the Swift
    /// loops (to compare the two, or to reproduce on this CPU an LSTM run made on one without AVX2:
    /// the cells' and the softmax's results differ by a few float ulps between the paths; Adam's,
    /// the transpose's and the column sums' do not).
    public static let best: ElementwiseKernel = {
        let portable = ProcessInfo.processInfo.environment["VIDACT_KERNELS"] == "portable"
        return ElementwiseKernel.avx2.isAvailable && !portable ? .avx2 : .portable
    }()

    /// Whether this machine can run `self`.
    public var isAvailable: Bool { self == .portable || vidact_kernels_have_avx2_fma() != 0 }
}
