// The CNN as the extraction loop sees it: RGB24 pictures in, one feature row per picture out.
// Keeping this a protocol lets the loop be tested with a cheap stand-in and lets new backbones
// plug in without touching the loop.
//
// Shapes: N pictures, each H×W×3 bytes (224×224 for the ImageNet backbones); output [N, D].
import ConvNets
import DNNL
import FeatureStore
import Foundation
import TensorCore

/// Turns pictures into feature rows.
public protocol FrameEmbedder: AnyObject {
    /// The backbone name recorded in the extractor spec (e.g. "efficientnet-lite0").
    var backboneName: String { get }
    /// The input normalisation recorded in the extractor spec.
    var normalizationName: String { get }
    /// The picture size the network takes (width = height).
    var inputSize: Int { get }
    /// Feature rows [N, D] of `pictures` (each inputSize² × 3 bytes, RGB24), pooled as asked.
    func embed(_ pictures: [[UInt8]], pooling: FeaturePooling) throws -> Tensor
}

/// A `ConvNets` backbone (EfficientNet-Lite0, ResNet-18/50) on oneDNN: global average (D), or
/// 2×2 grid × D = 4·D.
///
/// The network is built on a thread of its own from `init` on, and the first `embed` waits for it.
/// Reading the weights, folding them and (int8) quantising them took one core for 45-85 ms (f32)
/// and 150-160 ms (int8) before the first video was opened; on the e2e benchmark the first batch
/// never waited for it, and the snapped run went 1.53 -> 1.48 s (int8), 1.86 -> 1.82 s (f32). What
/// users get wrong (a missing weights file, a bad calibration file) is still reported by `init`; a
/// failure of the build itself (a damaged weights file) is thrown by the first `embed`, which stops
/// the run.
public final class BackboneEmbedder: FrameEmbedder {
    public let backbone: Backbone
    public let normalization: InputNormalization
    private let building: Building
    private let threads: Int?
    public var backboneName: String { backbone.rawValue }
    public var normalizationName: String { normalization.rawValue }
    public var inputSize: Int { Backbone.inputSize }

    /// Loads `backbone` from `weightsPath`; `normalization` defaults to the backbone's own recipe.
    public init(
        backbone: Backbone, weightsPath: String, normalization: InputNormalization? = nil, threads: Int?,
        precision: CNNPrecision = .f32
    ) throws {
        try backbone.requireWeights(at: weightsPath)
        self.backbone = backbone
        self.threads = threads
        self.normalization = normalization ?? backbone.normalization
        switch precision {
        case .f32:
            building = Building { try backbone.load(weights: weightsPath, threads: threads) }
        case .int8(let calibration, _):
            // Read now (it is cached for the build) so that a bad file is refused before any work.
            _ = try Int8Calibration.load(path: calibration, backbone: backbone)
            building = Building {
                try backbone.load(weights: weightsPath, threads: threads, precision: .int8, calibration: calibration)
            }
        }
    }

    /// Waits for the build, so that no thread is left creating oneDNN primitives while the process
    /// exits (a run where every video was cached never asks for the network).
    deinit { _ = try? building.value() }

    /// The network, once built.
    public func network() throws -> any FeatureExtractor { try building.value() }

    public func embed(_ pictures: [[UInt8]], pooling: FeaturePooling) throws -> Tensor {
        let network = try network()
        // OpenMP's thread count belongs to the calling thread (`DNNLRuntime`), and the network was
        // built on another one: set it here, where the passes run and their primitives are made.
        if let threads { DNNLRuntime.setThreadCount(threads) }
        let output = try network.forward(rgb24: pictures, normalization: normalization, gridCells: 2)
        switch pooling {
        case .avg: return output.features
        case .grid2:
            // [N, 2, 2, D] row-major is already one row of 4·D per picture.
            return output.grid.reshaped([pictures.count, output.grid.count / pictures.count])
        }
    }

    /// The network being built on its own thread; `value()` waits for it and rethrows a failure.
    private final class Building: @unchecked Sendable {
        // `outcome` is read and written with `condition` locked.
        private let condition = NSCondition()
        private var outcome: Result<any FeatureExtractor, Error>?

        init(_ build: @escaping () throws -> any FeatureExtractor) {
            nonisolated(unsafe) let build = build
            let thread = Thread { [self] in
                let result = Result { try build() }
                condition.lock()
                outcome = result
                condition.broadcast()
                condition.unlock()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }

        func value() throws -> any FeatureExtractor {
            condition.lock()
            defer { condition.unlock() }
            while true {
                if let outcome { return try outcome.get() }
                condition.wait()
            }
        }
    }
}
