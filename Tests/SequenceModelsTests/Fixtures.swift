// Access to the PyTorch reference fixtures of this folder (written by
// scripts/fixtures/make-lstm-fixtures, which names its seed and tolerance in each file's metadata)
// and the comparison rule the tests share.
import Foundation
import SafeTensors
import TensorCore
import Testing

enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func open(_ name: String) throws -> SafeTensorsFile {
        try SafeTensorsFile(path: folder.appendingPathComponent(name).path)
    }
}

/// Compares with |a − e| ≤ rel·(|e| + max|e|): `rel` relative to each value, with the tensor's
/// largest magnitude as the floor for values near 0. Prints max |diff| and records a failure.
func expectRelative(
    _ actual: Tensor, _ expected: Tensor, _ rel: Float = 1e-5, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let comparison = TensorComparison(
        actual: actual, expected: expected, absoluteTolerance: rel * expected.maxAbs(), relativeTolerance: rel)
    print("\(label): \(comparison)")
    #expect(comparison.passed, "\(label): \(comparison)", sourceLocation: sourceLocation)
}
