// The checkpoint format's interoperability: a vidact checkpoint loads into torch.nn.LSTM/Linear with
// strict load_state_dict (scripts/torch_check_checkpoint.py) and gives the predictions vidact gives.
import Foundation
import SafeTensors
import TensorCore
import Testing

@testable import SequenceModels

/// vidact's predictions against PyTorch's for the same checkpoint: `tiny_model.safetensors` and
/// `tiny_features.safetensors` are written by this test under RECORD_GOLDENS=1 (seeded model),
/// `tiny_model_torch.json` by `scripts/torch_check_checkpoint.py` on them (strict
/// load_state_dict into torch.nn.LSTM/Linear). Tolerance 1e-5 relative.
struct TorchCheckpointTests {
    @Test(arguments: ["clip", "frames"])
    func predictionsMatchTorchCheckCheckpoint(task: String) throws {
        let folder = Fixtures.folder.path
        let (modelPath, featuresPath) = (
            "\(folder)/tiny_model_\(task).safetensors", "\(folder)/tiny_features.safetensors"
        )
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            let config = SequenceClassifierConfiguration(
                inputSize: 6, projectionSize: 5, hiddenSize: 4, layers: 2, bidirectional: true, classCount: 3,
                task: task == "clip" ? .clip(.last) : .frames)
            try SequenceClassifier(configuration: config, seed: 42).write(
                to: modelPath, metadata: ["labels": "[\"a\",\"b\",\"c\"]"])
            var rng = SeededRNG(seed: 43)
            var writer = SafeTensorsWriter(metadata: [
                "generator": "TorchCheckpointTests RECORD_GOLDENS=1", "seed": "43",
            ])
            writer.add("features", Tensor.uniform(shape: [7, 6], -2, 2, using: &rng), dtype: .f16)
            try writer.write(to: featuresPath)
        }
        let model = try SequenceClassifier(checkpoint: modelPath)
        let probabilities = try model.predict(features: SequenceExample.loadFeatures(path: featuresPath))
        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/tiny_model_\(task)_torch.json")))
            as! [String: Any]
        let expected =
            task == "clip"
            ? (json["probabilities"] as! [Double]).map { Float($0) }
            : (json["probabilities"] as! [[Double]]).flatMap { $0.map { Float($0) } }
        expectRelative(
            probabilities, Tensor(shape: probabilities.shape, storage: expected), 1e-5, "torch_check_checkpoint \(task)"
        )
    }
}
