// Strict weight loading for models (candle's `VarBuilder`): a model asks for each of its tensors
// by PyTorch `state_dict` name and expected shape, through scopes that mirror its module tree,
//
//     let weights = try WeightLoader(path: "efficientnet_lite0.safetensors")
//     let w = try weights.scope("blocks.0").tensor("conv.weight", shape: [32, 3, 3, 3])
//     …
//     try weights.checkAllConsumed()
//
// and every mistake is an error naming the full key: a missing tensor, a wrong shape or dtype, and
// at the end any tensor of the file the model never asked for (a wrong file or a converter bug
// would otherwise load silently). The loader remembers which keys were taken.

import Foundation
import TensorCore

/// A safetensors file opened for strict, scoped, shape-checked lookup.
public final class WeightLoader: @unchecked Sendable {  // `consumed` is guarded by `lock`
    public let file: SafeTensorsFile
    private let lock = NSLock()
    private var consumed: Set<String> = []

    public init(file: SafeTensorsFile) {
        self.file = file
    }

    /// Opens and validates `path`.
    public convenience init(path: String) throws {
        self.init(file: try SafeTensorsFile(path: path))
    }

    /// The scope of keys under `prefix` (joined with ".").
    public func scope(_ prefix: String) -> WeightScope {
        WeightScope(loader: self, prefix: prefix)
    }

    /// The root scope's `tensor(_:shape:)`.
    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        try scope("").tensor(name, shape: shape)
    }

    /// The root scope's `array(_:shape:as:)`.
    public func array<Element: SafeTensorsElement>(
        _ name: String, shape: [Int], as type: Element.Type = Element.self
    ) throws -> [Element] {
        try scope("").array(name, shape: shape, as: type)
    }

    /// Names of the file's tensors not taken yet, in file order.
    public var unconsumedNames: [String] {
        lock.withLock { file.names.filter { !consumed.contains($0) } }
    }

    /// Throws `unexpectedTensors` listing every tensor not taken, except those `ignoring` accepts
    /// (for example `{ $0.hasSuffix(".num_batches_tracked") }`).
    public func checkAllConsumed(ignoring isIgnored: (String) -> Bool = { _ in false }) throws {
        let left = unconsumedNames.filter { !isIgnored($0) }
        guard !left.isEmpty else { return }
        let shown = left.prefix(20).map { "\"\($0)\"" }.joined(separator: ", ")
        let more = left.count > 20 ? " and \(left.count - 20) more" : ""
        throw SafeTensorsError(
            .unexpectedTensors, path: file.path,
            "\(left.count) tensor\(left.count == 1 ? " was" : "s were") not used by the model: \(shown)\(more)",
            tensor: left.first)
    }

    /// The header entry of `key` after checking its shape and dtype; marks it consumed.
    func take(_ key: String, shape: [Int], dtypes: [DType]) throws -> TensorInfo {
        guard file.contains(key) else {
            throw SafeTensorsError(
                .tensorNotFound, path: file.path, "no tensor \"\(key)\" (expected shape \(shape))\(nearby(key))",
                tensor: key)
        }
        let info = try file.info(key)
        guard info.shape == shape else {
            throw SafeTensorsError(
                .wrongShape, path: file.path, "tensor \"\(key)\" has shape \(info.shape), expected \(shape)",
                tensor: key)
        }
        guard dtypes.contains(info.dtype) else { throw file.wrongDType(info, expected: dtypes) }
        lock.withLock { _ = consumed.insert(key) }
        return info
    }

    /// A hint listing the file's keys that share `key`'s scope, for a missing key.
    private func nearby(_ key: String) -> String {
        let scope = key.split(separator: ".").dropLast().joined(separator: ".")
        let siblings = file.names.filter { scope.isEmpty ? !$0.contains(".") : $0.hasPrefix(scope + ".") }
        guard !siblings.isEmpty else { return "; the file has no tensor under \"\(scope)\"" }
        let shown = siblings.prefix(8).map { "\"\($0)\"" }.joined(separator: ", ")
        return "; under \"\(scope)\" the file has \(shown)\(siblings.count > 8 ? ", …" : "")"
    }
}
