// The caption checkpoint format's interoperability: a vidact caption checkpoint loads into the
// equivalent PyTorch module (scripts/torch_check_caption_checkpoint.py: torch.nn.Linear, LSTM,
// Embedding with strict load_state_dict) and gives the same teacher-forced logits (1e-4) and the
// same greedy caption. `tiny_caption_<architecture>.safetensors` and
// `tiny_caption_features.safetensors` are written by this test under RECORD_GOLDENS=1 (seeded
// models), `tiny_caption_<architecture>_torch.json` by the script on them.
import Foundation
import SafeTensors
import TensorCore
import Testing

@testable import SequenceModels

struct TorchCaptionCheckpointTests {
    static let words = [5, 7, 4, 2]

    @Test(arguments: ["s2vt", "mean-pool", "attention"])
    func logitsAndGreedyCaptionMatchPyTorch(architecture: String) throws {
        let folder = Fixtures.folder.path
        let modelPath = "\(folder)/tiny_caption_\(architecture).safetensors"
        let featuresPath = "\(folder)/tiny_caption_features.safetensors"
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            let config = CaptionModelConfiguration(
                architecture: try #require(CaptionArchitecture(rawValue: architecture)), inputSize: 6,
                projectionSize: 5, hiddenSize: 4, embeddingSize: 3, vocabularySize: 9,
                inputs: architecture == "s2vt" ? .both : architecture == "attention" ? .features : .differences,
                attentionSize: 3)
            let words = ["<pad>", "<bos>", "<eos>", "<unk>", "a", "red", "circle", "grows", "then"]
            try CaptionModel(configuration: config, seed: 42).write(
                to: modelPath,
                metadata: [
                    "vocabulary": "{\"words\":[" + words.map { "\"\($0)\"" }.joined(separator: ",") + "]}",
                    "decoding": "{\"beam\":1,\"lengthPenalty\":0,\"maxLength\":6}",
                ])
            var rng = SeededRNG(seed: 43)
            var writer = SafeTensorsWriter(metadata: [
                "generator": "TorchCaptionCheckpointTests RECORD_GOLDENS=1", "seed": "43",
            ])
            writer.add("features", Tensor.uniform(shape: [5, 6], -2, 2, using: &rng), dtype: .f16)
            try writer.write(to: featuresPath)
        }
        let model = try CaptionModel(checkpoint: modelPath)
        let features = try SequenceExample.loadFeatures(path: featuresPath)
        let logits = try model.teacherForcedLogits(CaptionExample(features: features, words: Self.words))
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/tiny_caption_\(architecture)_torch.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let expected = try #require(json["logits"] as? [[Double]]).flatMap { $0.map { Float($0) } }
        expectRelative(
            logits, Tensor(shape: logits.shape, storage: expected), 1e-4, "torch caption logits \(architecture)")
        let greedy = try model.caption(features: features, decoding: CaptionDecoding(beam: 1, maxLength: 6))
        let torchGreedy = try #require(json["greedy"] as? [Int])
        #expect(greedy.words + (greedy.finished ? [CaptionTokens.eos] : []) == torchGreedy)
    }
}
