// A position in a model's module tree for `WeightLoader`: a key prefix such as "blocks.0". Scopes
// nest (`scope("blocks").scope("0")` is "blocks.0") and build full keys the way PyTorch names
// `state_dict` entries, joining with ".".

import TensorCore

/// Keys under one prefix of a `WeightLoader`.
public struct WeightScope: Sendable {
    public let loader: WeightLoader
    /// The prefix without a trailing "."; empty for the root.
    public let prefix: String

    init(loader: WeightLoader, prefix: String) {
        self.loader = loader
        self.prefix = prefix
    }

    /// The scope one level down.
    public func scope(_ name: String) -> WeightScope {
        WeightScope(loader: loader, prefix: key(name))
    }

    /// The full key of `name` in this scope.
    public func key(_ name: String) -> String {
        if prefix.isEmpty { return name }
        if name.isEmpty { return prefix }
        return prefix + "." + name
    }

    /// Whether the file has `name` in this scope (for optional tensors such as a bias).
    public func contains(_ name: String) -> Bool {
        loader.file.contains(key(name))
    }

    /// The Float tensor `name` (F32, F16 or BF16 in the file), which must have `shape`.
    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        let full = key(name)
        _ = try loader.take(full, shape: shape, dtypes: DType.tensorTypes)
        return try loader.file.tensor(full)
    }

    /// The values of `name` (of dtype `Element.dtype`), which must have `shape`.
    public func array<Element: SafeTensorsElement>(
        _ name: String, shape: [Int], as _: Element.Type = Element.self
    ) throws -> [Element] {
        let full = key(name)
        _ = try loader.take(full, shape: shape, dtypes: [Element.dtype])
        return try loader.file.array(full, as: Element.self)
    }
}
