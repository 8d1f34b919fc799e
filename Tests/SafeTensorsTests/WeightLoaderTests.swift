// WeightLoader and WeightScope: scoped keys as PyTorch names them, shape- and dtype-checked lookups
// whose errors name the full key, and the check that every tensor of the file was used.
import Foundation
import Testing

@testable import SafeTensors
@testable import TensorCore

struct WeightLoaderTests {
    let folder = TemporaryFolder()

    /// A small state_dict: a conv, a batch norm with its I64 counter, and a classifier.
    func stateDict() throws -> WeightLoader {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        writer.add("blocks.0.conv.weight", Tensor(shape: [4, 3, 3, 3]) { Float($0) })
        writer.add("blocks.0.bn.weight", Tensor(repeating: 1, shape: [4]), dtype: .f16)
        writer.add("blocks.0.bn.num_batches_tracked", [Int64(12)], shape: [])
        writer.add("classifier.weight", Tensor(zeros: [10, 4]))
        writer.add("classifier.bias", Tensor(zeros: [10]))
        let path = folder.path("model.safetensors")
        try writer.write(to: path)
        return try WeightLoader(path: path)
    }

    @Test func scopesBuildPyTorchKeys() throws {
        let weights = try stateDict()
        let block = weights.scope("blocks").scope("0")
        #expect(block.prefix == "blocks.0")
        #expect(block.key("conv.weight") == "blocks.0.conv.weight")
        #expect(weights.scope("").key("x") == "x")
        #expect(block.contains("bn.weight"))
        #expect(!block.contains("bn.bias"))
    }

    @Test func strictLoadOfAWholeModel() throws {
        let weights = try stateDict()
        let block = weights.scope("blocks.0")
        let conv = try block.tensor("conv.weight", shape: [4, 3, 3, 3])
        #expect(conv[1, 0, 0, 0] == 27)
        #expect(try block.scope("bn").tensor("weight", shape: [4]).storage == [1, 1, 1, 1])
        #expect(try block.array("bn.num_batches_tracked", shape: [], as: Int64.self) == [12])
        #expect(weights.unconsumedNames == ["classifier.bias", "classifier.weight"])  // file order
        _ = try weights.scope("classifier").tensor("weight", shape: [10, 4])
        _ = try weights.tensor("classifier.bias", shape: [10])
        try weights.checkAllConsumed()
    }

    @Test func missingKeyNamesTheFullKeyAndItsNeighbours() throws {
        let weights = try stateDict()
        let error = #expect(throws: SafeTensorsError.self) {
            try weights.scope("blocks.0").tensor("conv.bias", shape: [4])
        }
        #expect(error?.kind == .tensorNotFound)
        #expect(error?.tensor == "blocks.0.conv.bias")
        #expect(
            error?.detail
                == "no tensor \"blocks.0.conv.bias\" (expected shape [4]); under \"blocks.0.conv\" the file has \"blocks.0.conv.weight\""
        )
    }

    @Test func wrongShapeNamesExpectedAndActual() throws {
        let weights = try stateDict()
        let error = #expect(throws: SafeTensorsError.self) {
            try weights.scope("blocks.0").tensor("conv.weight", shape: [4, 3, 5, 5])
        }
        #expect(error?.kind == .wrongShape)
        #expect(error?.tensor == "blocks.0.conv.weight")
        #expect(error?.detail == "tensor \"blocks.0.conv.weight\" has shape [4, 3, 3, 3], expected [4, 3, 5, 5]")
        #expect(weights.unconsumedNames.contains("blocks.0.conv.weight"))  // a failed lookup takes nothing
    }

    @Test func wrongDTypeNamesTheKey() throws {
        let weights = try stateDict()
        let error = #expect(throws: SafeTensorsError.self) {
            try weights.scope("blocks.0.bn").tensor("num_batches_tracked", shape: [])
        }
        #expect(error?.kind == .wrongDType)
        #expect(error?.detail == "tensor \"blocks.0.bn.num_batches_tracked\" is I64, expected F32 or F16 or BF16")
    }

    @Test func unusedTensorsAreAnErrorListingThem() throws {
        let weights = try stateDict()
        _ = try weights.tensor("blocks.0.conv.weight", shape: [4, 3, 3, 3])
        _ = try weights.tensor("blocks.0.bn.weight", shape: [4])
        let error = #expect(throws: SafeTensorsError.self) { try weights.checkAllConsumed() }
        #expect(error?.kind == .unexpectedTensors)
        #expect(
            error?.detail
                == "3 tensors were not used by the model: \"blocks.0.bn.num_batches_tracked\", \"classifier.bias\", \"classifier.weight\""
        )
        _ = try weights.tensor("classifier.weight", shape: [10, 4])
        _ = try weights.tensor("classifier.bias", shape: [10])
        #expect(throws: SafeTensorsError.self) { try weights.checkAllConsumed() }
        try weights.checkAllConsumed(ignoring: { $0.hasSuffix(".num_batches_tracked") })
    }
}
