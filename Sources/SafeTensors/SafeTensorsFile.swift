// Reader of safetensors files, the format of vidact's weights, checkpoints and feature files.
//
// Format: safetensors as defined by its reference implementation, github.com/huggingface/safetensors
// (README "Format" and safetensors/src/tensor.rs; checked against the PyPI package 0.8.0, which is
// what `scripts/fixtures/make-safetensors-fixtures` uses). The format has no version field; the
// layout has been stable since 0.2. A file is
//
//   bytes 0..<8      N, the header length: unsigned 64-bit little-endian
//   bytes 8..<8+N    the header: UTF-8 JSON object
//                      { "__metadata__": { string: string, … },          (optional)
//                        "<tensor name>": { "dtype": "F32",
//                                           "shape": [2, 3],              ([] for a scalar)
//                                           "data_offsets": [begin, end] }, … }
//                    writers pad it with spaces to a multiple of 8 bytes so tensor data is aligned
//   bytes 8+N..<end  the byte buffer; a tensor's bytes are buffer[begin..<end], row-major ('C'
//                    order), little-endian, packed; the tensors cover the buffer exactly
//
// A tensor with a 0 dimension has no bytes (begin == end). What is checked before any tensor is
// read is listed in `SafeTensorsHeader.swift`. The file is memory-mapped (`MappedFile`); tensor
// accessors copy out of the mapping, so a returned Tensor or array outlives the reader.

/// A validated, memory-mapped safetensors file.
public final class SafeTensorsFile: Sendable {
    /// The path it was opened with.
    public let path: String
    /// The `__metadata__` map (empty when the file has none).
    public let metadata: [String: String]
    /// Every tensor, in file order (by data offset).
    public let tensors: [TensorInfo]
    private let index: [String: Int]
    private let mapping: MappedFile
    private let dataStart: Int

    /// Maps `path` and validates its header; throws `SafeTensorsError` naming the file.
    public init(path: String) throws {
        self.path = path
        mapping = try MappedFile(path: path)
        let header = try SafeTensorsHeader(file: mapping.bytes, path: path)
        metadata = header.metadata
        tensors = header.tensors
        dataStart = header.dataStart
        index = Dictionary(uniqueKeysWithValues: header.tensors.enumerated().map { ($1.name, $0) })
    }

    /// Tensor names in file order.
    public var names: [String] { tensors.map(\.name) }

    /// Whether the file has a tensor called `name`.
    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// The header entry of `name`; throws `tensorNotFound`.
    public func info(_ name: String) throws -> TensorInfo {
        guard let position = index[name] else {
            throw SafeTensorsError(.tensorNotFound, path: path, "no tensor \"\(name)\" in the file", tensor: name)
        }
        return tensors[position]
    }

    /// Calls `body` with the tensor's bytes inside the mapping (valid only during the call).
    public func withRawBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let range = try info(name).dataOffsets
        return try body(
            UnsafeRawBufferPointer(
                rebasing: mapping.bytes[(dataStart + range.lowerBound)..<(dataStart + range.upperBound)]))
    }

    /// A copy of the tensor's bytes, as stored (little-endian).
    public func rawBytes(_ name: String) throws -> [UInt8] {
        try withRawBytes(name) { Array($0) }
    }
}
