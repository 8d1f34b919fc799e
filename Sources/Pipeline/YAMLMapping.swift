// Strict reading of one YAML mapping of a pipeline file, on Yams' node tree (which keeps line
// numbers): the allowed keys are declared up front, so an unknown or misspelt key is an error
// naming the file, its line and the allowed keys; every getter checks the type and says what it
// expected. No YAML is parsed here — Yams (libyaml) does that.
import Yams

/// A mapping node with its key path ("train", "extract.sampling") and file, read strictly.
struct YAMLMapping {
    let file: String
    let path: String
    let line: Int?
    private let values: [String: Node]

    /// Refuses a node that is not a mapping, duplicate keys, and keys not in `allowed`.
    init(_ node: Node, file: String, path: String, allowed: [String]) throws {
        self.file = file
        self.path = path
        line = node.mark?.line
        guard let mapping = node.mapping else {
            throw PipelineConfigError(file: file, line: line, "\(Self.name(path)) must be a mapping of keys to values")
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                throw PipelineConfigError(
                    file: file, line: key.mark?.line, "\(Self.name(path)): keys must be plain names")
            }
            guard allowed.contains(name) else {
                throw PipelineConfigError(
                    file: file, line: key.mark?.line,
                    "unknown key '\(Self.join(path, name))'; allowed keys in \(Self.name(path)): "
                        + allowed.joined(separator: ", "))
            }
            guard values[name] == nil else {
                throw PipelineConfigError(
                    file: file, line: key.mark?.line, "key '\(Self.join(path, name))' appears twice")
            }
            values[name] = value
        }
        self.values = values
    }

    static func name(_ path: String) -> String { path.isEmpty ? "the top level" : "'\(path)'" }
    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func has(_ key: String) -> Bool {
        guard let node = values[key] else { return false }
        return !Self.isNull(node)
    }

    func node(_ key: String) -> Node? { values[key].flatMap { Self.isNull($0) ? nil : $0 } }

    func require(_ key: String) throws -> Node {
        guard let node = node(key) else {
            throw PipelineConfigError(file: file, line: line, "\(Self.name(path)): missing required key '\(key)'")
        }
        return node
    }

    func mapping(_ key: String, allowed: [String]) throws -> YAMLMapping? {
        guard let node = node(key) else { return nil }
        return try YAMLMapping(node, file: file, path: Self.join(path, key), allowed: allowed)
    }

    func string(_ key: String) throws -> String? {
        guard let node = node(key) else { return nil }
        guard let scalar = node.scalar else { throw typeError(key, node, "a string") }
        return scalar.string
    }

    func int(_ key: String) throws -> Int? {
        guard let node = node(key) else { return nil }
        guard let text = node.scalar?.string, let value = Int(text) else { throw typeError(key, node, "an integer") }
        return value
    }

    func double(_ key: String) throws -> Double? {
        guard let node = node(key) else { return nil }
        guard let text = node.scalar?.string, let value = Double(text), value.isFinite else {
            throw typeError(key, node, "a number")
        }
        return value
    }

    func bool(_ key: String) throws -> Bool? {
        guard let node = node(key) else { return nil }
        switch node.scalar?.string {
        case "true": return true
        case "false": return false
        default: throw typeError(key, node, "true or false")
        }
    }

    /// A string that must be one of `choices`.
    func choice(_ key: String, _ choices: [String]) throws -> String? {
        guard let value = try string(key) else { return nil }
        guard choices.contains(value) else {
            throw PipelineConfigError(
                file: file, line: values[key]?.mark?.line,
                "'\(Self.join(path, key))' is '\(value)'; allowed values: \(choices.joined(separator: ", "))")
        }
        return value
    }

    /// A list of strings.
    func strings(_ key: String) throws -> [String]? {
        guard let node = node(key) else { return nil }
        guard let sequence = node.sequence else { throw typeError(key, node, "a list of strings") }
        return try sequence.map { item in
            guard let text = item.scalar?.string else { throw typeError(key, item, "a list of strings") }
            return text
        }
    }

    /// A problem with the value of `key` that the caller found (a range, a combination).
    func invalid(_ key: String, _ message: String) -> PipelineConfigError {
        PipelineConfigError(file: file, line: values[key]?.mark?.line ?? line, "'\(Self.join(path, key))' \(message)")
    }

    private func typeError(_ key: String, _ node: Node, _ expected: String) -> PipelineConfigError {
        let shown = node.scalar.map { "'\($0.string)'" } ?? (node.mapping != nil ? "a mapping" : "a list")
        return PipelineConfigError(
            file: file, line: node.mark?.line, "'\(Self.join(path, key))' must be \(expected), not \(shown)")
    }

    private static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}
