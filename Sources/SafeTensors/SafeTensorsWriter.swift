// Writer of safetensors files (format documented at the top of `SafeTensorsFile.swift`). The output
// is byte-identical to the reference implementation's (`safetensors.numpy.save_file`, PyPI 0.8.0)
// for the same tensors and metadata, which `scripts/fixtures/make-safetensors-fixtures` checks; the
// one freedom is the order of the metadata keys, which the reference takes from a Rust HashMap
// (it varies from run to run) and this writer sorts:
//
//   - tensors are laid out by dtype in the reference's order (I64, F64, F32, I32, F16, U8; its
//     `Dtype` enum, "increasing alignment", descending), then by name (byte order), packed from 0;
//   - the header is compact JSON: `__metadata__` first (omitted when empty; keys in byte order),
//     then the tensors in layout order, each `{"dtype":…,"shape":[…],"data_offsets":[b,e]}`;
//     strings escaped as serde_json escapes them;
//   - the header is padded with spaces to a multiple of 8 bytes, so every tensor starts 8-aligned
//     in the file when the ones before it keep that alignment (which the dtype order ensures).
//
// Float tensors are stored as F32 or F16 (rounded to nearest even by `HalfFloat`); typed arrays as
// F64, I64, I32 or U8. Files are written atomically (`AtomicFile`). Adding a name twice, or the
// reserved name `__metadata__`, or values that do not match the shape, is a programmer error.

import Basics
import TensorCore

/// Collects tensors and metadata, then writes one safetensors file.
public struct SafeTensorsWriter: Sendable {
    private struct Entry: Sendable {
        let dtype: DType
        let shape: [Int]
        let bytes: [UInt8]
    }

    /// Written as `__metadata__`.
    public var metadata: [String: String]
    private var entries: [String: Entry] = [:]

    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// Names added so far, in layout order.
    public var names: [String] { layout().map(\.name) }

    /// Adds a Float tensor, stored as `dtype` (F32 or F16).
    public mutating func add(_ name: String, _ tensor: Tensor, dtype: DType = .f32) {
        switch dtype {
        case .f32:
            insert(name, Entry(dtype: .f32, shape: tensor.shape, bytes: LittleEndianBytes.bytes(of: tensor.storage)))
        case .f16:
            let bits = HalfFloat.float16Bits(from: tensor.storage)
            insert(name, Entry(dtype: .f16, shape: tensor.shape, bytes: LittleEndianBytes.bytes(of: bits)))
        default:
            preconditionFailure(
                "SafeTensorsWriter.add: tensor \"\(name)\" \(tensor.shape) cannot be stored as "
                    + "\(dtype.rawValue); use F32 or F16"
            )
        }
    }

    /// Adds `values` (row-major) with `shape`, stored as `Element.dtype`.
    public mutating func add<Element: SafeTensorsElement>(_ name: String, _ values: [Element], shape: [Int]) {
        let count = Tensor.elementCount(shape, op: "SafeTensorsWriter.add")
        precondition(
            values.count == count,
            "SafeTensorsWriter.add: tensor \"\(name)\" has shape \(shape) (\(count) values) but \(values.count) values")
        insert(name, Entry(dtype: Element.dtype, shape: shape, bytes: LittleEndianBytes.bytes(of: values)))
    }

    /// The complete file.
    public func serialized() -> [UInt8] {
        let tensors = layout()
        var header = "{"
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { Self.byteOrder($0.key, $1.key) }.map {
                "\(Self.json($0.key)):\(Self.json($0.value))"
            }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, entry) in tensors {
            let shape = entry.shape.map(String.init).joined(separator: ",")
            let end = offset + entry.bytes.count
            fields.append(
                "\(Self.json(name)):{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],"
                    + "\"data_offsets\":[\(offset),\(end)]}"
            )
            offset = end
        }
        header += fields.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        headerBytes += Array(repeating: UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8)
        var file = LittleEndianBytes.bytes(of: [UInt64(headerBytes.count)])
        file.reserveCapacity(8 + headerBytes.count + offset)
        file += headerBytes
        for (_, entry) in tensors { file += entry.bytes }
        return file
    }

    /// Writes the file to `path` atomically (temporary file, fsync, rename, fsync of the folder).
    public func write(to path: String) throws {
        do {
            try AtomicFile.write(serialized(), to: path)
        } catch {
            throw SafeTensorsError(fileError: error)
        }
    }

    private mutating func insert(_ name: String, _ entry: Entry) {
        precondition(name != "__metadata__", "SafeTensorsWriter.add: \"__metadata__\" is reserved for the metadata")
        precondition(entries[name] == nil, "SafeTensorsWriter.add: tensor \"\(name)\" was already added")
        entries[name] = entry
    }

    /// Entries in the reference writer's order: dtype rank descending, then name.
    private func layout() -> [(name: String, entry: Entry)] {
        entries.map { (name: $0.key, entry: $0.value) }.sorted { lhs, rhs in
            if lhs.entry.dtype.referenceRank != rhs.entry.dtype.referenceRank {
                return lhs.entry.dtype.referenceRank > rhs.entry.dtype.referenceRank
            }
            return Self.byteOrder(lhs.name, rhs.name)
        }
    }

    /// Rust's `String` order: lexicographic on UTF-8 bytes.
    private static func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// `string` as a JSON string literal, escaped as serde_json does: `"` and `\` with a backslash,
    /// backspace, form feed, newline, carriage return and tab by letter, other control characters
    /// below U+0020 as `\u00xx` (lower-case hex); everything else, "/" and non-ASCII included, as is.
    static func json(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
