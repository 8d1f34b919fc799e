// Strict loading of ResNet weights: a state_dict with a tensor missing, one of the wrong shape or
// one the model does not use is refused with an error naming the key (and the shapes); the
// num_batches_tracked counters torchvision saves are accepted and ignored.
import Foundation
import SafeTensors
import TensorCore
import Testing

@testable import ConvNets

struct ResNetWeightsTests {
    /// The seeded ResNet-18 rewritten with `edit` applied to its list of (name, tensor or counter).
    static func edited(_ edit: (inout [(String, Tensor?)]) -> Void) throws -> String {
        let source = try SafeTensorsFile(path: SeededResNet.weightsPath(.resnet18))
        var entries: [(String, Tensor?)] = try source.names.map { name in
            (name, name.hasSuffix("num_batches_tracked") ? nil : try source.tensor(name))
        }
        edit(&entries)
        var writer = SafeTensorsWriter()
        for (name, tensor) in entries {
            if let tensor { writer.add(name, tensor) } else { writer.add(name, [Int64(0)], shape: []) }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vidact-resnet-\(UUID().uuidString).safetensors"
        )
        .path
        try writer.write(to: path)
        return path
    }

    static func loadError(_ path: String) -> SafeTensorsError? {
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ResNetWeights(path: path, spec: .resnet18)
            return nil
        } catch {
            return error as? SafeTensorsError
        }
    }

    @Test func aMissingTensorIsNamed() throws {
        let error = Self.loadError(try Self.edited { $0.removeAll { $0.0 == "layer3.1.bn2.running_var" } })
        #expect(error?.kind == .tensorNotFound)
        #expect(error?.tensor == "layer3.1.bn2.running_var")
        #expect(error?.description.contains("[256]") == true, "\(String(describing: error))")
    }

    @Test func aWronglyShapedTensorNamesBothShapes() throws {
        let error = Self.loadError(
            try Self.edited { entries in
                let index = entries.firstIndex { $0.0 == "fc.weight" }!
                entries[index].1 = Tensor(zeros: [1000, 511])
            })
        #expect(error?.kind == .wrongShape)
        #expect(error?.tensor == "fc.weight")
        let text = error?.description ?? ""
        #expect(text.contains("[1000, 511]") && text.contains("[1000, 512]"), "\(text)")
    }

    @Test func anUnexpectedTensorIsNamed() throws {
        let error = Self.loadError(try Self.edited { $0.append(("layer5.0.conv1.weight", Tensor(zeros: [1]))) })
        #expect(error?.kind == .unexpectedTensors)
        #expect(error?.description.contains("layer5.0.conv1.weight") == true, "\(String(describing: error))")
    }

    @Test func theWrongArchitectureIsRefused() throws {
        // ResNet-18's file read as ResNet-50: layer1.0.conv1 is 3x3 where a bottleneck has 1x1.
        #expect(throws: SafeTensorsError.self) {
            _ = try ResNetWeights(path: SeededResNet.weightsPath(.resnet18), spec: .resnet50)
        }
    }

    @Test func aMissingFileIsNamedWithWhatToDo() {
        do {
            _ = try Backbone.resnet50.load(weights: "/nonexistent/r50.safetensors")
            Issue.record("loading a missing file succeeded")
        } catch {
            let text = "\(error)"
            #expect(text.contains("/nonexistent/r50.safetensors") && text.contains("state_dict"), "\(text)")
        }
    }
}
