// What every backbone gives the rest of vidact: a forward pass from normalised images or from
// RGB24 bytes to pooled features, a grid of pooled cells and ImageNet logits. `Backbone.load`
// makes one from a weights file; `EfficientNetLite0` and `ResNet` conform. The pooling and the
// classifier on the final map, and the splitting of a batch into passes, are shared here.
//
// Shapes: N batch; input [N, 3, H, W] (224x224 for the ImageNet checkpoints); final map
// [N, D, h, w]; features [N, D]; grid [N, g, g, D] (row, column, channel); logits [N, 1000].
import DNNL
import TensorCore

/// A CNN backbone that turns pictures into feature vectors and ImageNet logits.
public protocol FeatureExtractor: AnyObject {
    var backbone: Backbone { get }
    /// D, the width of a feature vector.
    var featureWidth: Int { get }
    /// Runs the network on `input` ([N, 3, H, W], normalised); `gridCells` g sets the grid pooling.
    func forward(_ input: Tensor, gridCells: Int) throws -> BackboneOutput
    /// Runs the network on 224x224 RGB24 `pictures`, normalised with `normalization`; what
    /// `forward(rgb24:normalization:gridCells:)` calls. The default normalises into an f32 tensor
    /// and calls `forward(_:gridCells:)`; a network with a faster way from bytes provides its own.
    func forwardRGB24(_ pictures: [[UInt8]], normalization: InputNormalization, gridCells: Int) throws -> BackboneOutput
}

extension FeatureExtractor {
    /// Runs the network on 224x224 RGB24 `pictures` (rows top to bottom), normalised with
    /// `normalization`, by default the backbone's own recipe.
    public func forward(
        rgb24 pictures: [[UInt8]], normalization: InputNormalization? = nil, gridCells: Int = 2
    ) throws -> BackboneOutput {
        try forwardRGB24(pictures, normalization: normalization ?? backbone.normalization, gridCells: gridCells)
    }

    public func forwardRGB24(
        _ pictures: [[UInt8]], normalization: InputNormalization, gridCells: Int
    ) throws -> BackboneOutput {
        let size = Backbone.inputSize
        return try forward(normalization.tensor(from: pictures, height: size, width: size), gridCells: gridCells)
    }
}

/// The outputs of one forward pass.
public struct BackboneOutput: Sendable {
    /// Global average of the final map, [N, D].
    public var features: Tensor
    /// gridCells x gridCells adaptive average of the final map, [N, g, g, D] (2x2 by default).
    public var grid: Tensor
    /// ImageNet class scores, [N, 1000].
    public var logits: Tensor

    /// Global average, grid and classifier (`weight` [1000, D], `bias` [1000]) on the final map in
    /// channels-last order [N, h, w, D] (`Memory.channelsLastTensor`), with oneDNN's sgemm for the
    /// classifier. Each channel is summed over the map row by row, the order of the NCHW loop this
    /// replaced, so the features are what they were to the bit; the loops run across channels,
    /// which the compiler vectorises. (`naive`'s pooling sums otherwise: equal within rounding.)
    init(channelsLastMap map: Tensor, classifierWeight weight: Tensor, bias: Tensor, gridCells: Int) {
        let (n, c) = (map.shape[0], map.shape[3])
        let plane = map.shape[1] * map.shape[2]
        var features = [Float](repeating: 0, count: n * c)
        map.withUnsafeBufferPointer { values in
            features.withUnsafeMutableBufferPointer { sums in
                for b in 0..<n {
                    let row = b * c
                    for p in 0..<plane {
                        let pixel = (b * plane + p) * c
                        for k in 0..<c { sums[row + k] += values[pixel + k] }
                    }
                    for k in 0..<c { sums[row + k] /= Float(plane) }
                }
            }
        }
        let pooled = Tensor(shape: [n, c], storage: features)
        let classes = weight.shape[0]
        var logits = Tensor(zeros: [n, classes])
        for row in 0..<n {
            for k in 0..<classes { logits[row, k] = bias[k] }
        }
        // A sgemm failure here would be a programmer error (the shapes are fixed by the weights).
        do {
            try GEMM.sgemm(pooled, weight, into: &logits, beta: 1, transposeA: false, transposeB: true)
        } catch {
            preconditionFailure("BackboneOutput: classifier sgemm failed: \(error)")
        }
        self.init(
            features: pooled, grid: GridPooling.adaptiveAverage(channelsLast: map, cells: gridCells), logits: logits)
    }

    /// The same on TensorCore's naive ops: the twin of the fast path.
    static func naive(map: Tensor, classifierWeight weight: Tensor, bias: Tensor, gridCells: Int) -> BackboneOutput {
        let features = Naive.globalAvgPool2d(map).reshaped([map.shape[0], map.shape[1]])
        var logits = Naive.matmul(features, weight, transposeB: true)
        for n in 0..<logits.shape[0] {
            for k in 0..<logits.shape[1] { logits[n, k] += bias[k] }
        }
        return BackboneOutput(
            features: features, grid: GridPooling.adaptiveAverage(map, cells: gridCells), logits: logits)
    }

    init(features: Tensor, grid: Tensor, logits: Tensor) {
        self.features = features
        self.grid = grid
        self.logits = logits
    }
}

/// Runs `input` [N, …] through `pass` at most `maxBatch` images at a time and concatenates the
/// outputs [n, …] along N. A batch that fits one pass goes through as it is (no copies).
func forwardInPasses(_ input: Tensor, maxBatch: Int, _ pass: (Tensor) throws -> Tensor) rethrows -> Tensor {
    let batch = input.shape[0]
    if batch <= maxBatch { return try pass(input) }
    let perImage = input.count / max(batch, 1)
    return try forwardInPasses(count: batch, maxBatch: maxBatch) { range in
        try pass(
            Tensor(
                shape: [range.count] + input.shape[1...],
                storage: Array(input.storage[(range.lowerBound * perImage)..<(range.upperBound * perImage)])))
    }
}

/// Runs images `0..<count` through `pass`, given each time a range of at most `maxBatch` of them,
/// and concatenates the outputs [n, …] along N.
func forwardInPasses(count: Int, maxBatch: Int, _ pass: (Range<Int>) throws -> Tensor) rethrows -> Tensor {
    var outputs: [Float] = []
    var outputShape: [Int] = []
    for start in stride(from: 0, to: count, by: maxBatch) {
        let output = try pass(start..<min(start + maxBatch, count))
        outputs += output.storage
        outputShape = Array(output.shape[1...])
    }
    return Tensor(shape: [count] + outputShape, storage: outputs)
}
