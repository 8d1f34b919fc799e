// Parsing and strict validation of a safetensors header (layout in `SafeTensorsFile.swift`). The
// JSON itself is parsed by Foundation's JSONSerialization; this file checks what it means, in the
// order a reader meets it, so every malformed file fails with its own error kind and never reads
// outside the file:
//
//   1. at least 8 bytes; header length N <= 100 MB (the reference's limit) and 8 + N <= file size;
//   2. the N bytes are UTF-8, then JSON, then a JSON object;
//   3. `__metadata__`, if present, maps strings to strings (`null` counts as absent, as in the
//      reference, whose field is an `Option`);
//   4. every other key is a tensor: an object with exactly `dtype`, `shape`, `data_offsets`; a
//      supported dtype; a shape of non-negative integers whose byte size does not overflow;
//      offsets of two integers 0 <= begin <= end <= buffer size; end - begin == elements × size;
//   5. sorted by offset, the tensors cover the buffer exactly: no overlap, no gap, nothing after
//      the last (the reference's `MetadataIncompleteBuffer`: "the last offset must be the end of
//      the file").
//
// JSON numbers must be integer literals: `2.0`, `1e3`, `true` and values past Int.max are not
// sizes. Duplicate keys cannot be seen (JSONSerialization keeps the last); the reference forbids
// them, and a dropped duplicate normally shows up as uncovered bytes.

import Foundation

/// A validated header: the tensors in file order and the metadata.
struct SafeTensorsHeader {
    /// Bytes of the little-endian u64 header length at the start of the file.
    static let lengthFieldSize = 8
    /// The reference implementation's `MAX_HEADER_SIZE`.
    static let maxHeaderLength = 100_000_000

    /// Tensors sorted by data offset (file order).
    let tensors: [TensorInfo]
    let metadata: [String: String]
    /// Offset of the byte buffer in the file: 8 + N.
    let dataStart: Int

    /// Parses and validates the header of `file` (the whole file's bytes).
    init(file: UnsafeRawBufferPointer, path: String) throws {
        let fail: Fail = { kind, detail, tensor in SafeTensorsError(kind, path: path, detail, tensor: tensor) }
        let headerBytes = try Self.headerBytes(file, fail: fail)
        let object = try Self.jsonObject(headerBytes, fail: fail)
        dataStart = Self.lengthFieldSize + headerBytes.count
        let bufferSize = file.count - dataStart
        var metadata: [String: String] = [:]
        var tensors: [TensorInfo] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            if key == "__metadata__" {
                metadata = try Self.metadata(value, fail: fail)
            } else {
                tensors.append(try Self.tensor(key, value, bufferSize: bufferSize, fail: fail))
            }
        }
        tensors.sort { lhs, rhs in
            let (l, r) = (lhs.dataOffsets, rhs.dataOffsets)
            return (l.lowerBound, l.upperBound, lhs.name) < (r.lowerBound, r.upperBound, rhs.name)
        }
        try Self.checkCoverage(tensors, bufferSize: bufferSize, fail: fail)
        self.tensors = tensors
        self.metadata = metadata
    }

    private typealias Fail = (SafeTensorsError.Kind, String, String?) -> SafeTensorsError

    /// The N header bytes after the length field, once the length is plausible and within the file.
    private static func headerBytes(_ file: UnsafeRawBufferPointer, fail: Fail) throws -> UnsafeRawBufferPointer {
        guard file.count >= lengthFieldSize else {
            throw fail(.fileTooShort, "the file has \(file.count) bytes, fewer than the 8 of the header length", nil)
        }
        let length = UInt64(littleEndian: file.loadUnaligned(as: UInt64.self))
        guard length <= UInt64(maxHeaderLength) else {
            throw fail(.headerTooLarge, "the header length is \(length) bytes, over the 100 MB limit", nil)
        }
        let headerLength = Int(length)
        guard lengthFieldSize + headerLength <= file.count else {
            throw fail(
                .headerLengthBeyondFile,
                "the header length is \(headerLength) bytes but the file has only "
                    + "\(file.count - lengthFieldSize) after the length field", nil)
        }
        return UnsafeRawBufferPointer(rebasing: file[lengthFieldSize..<(lengthFieldSize + headerLength)])
    }

    /// The header as a JSON object, once it is UTF-8 and JSON.
    private static func jsonObject(_ bytes: UnsafeRawBufferPointer, fail: Fail) throws -> [String: Any] {
        // JSONSerialization would also accept UTF-16 and UTF-32; the format says UTF-8.
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw fail(.headerNotUTF8, "the header is not valid UTF-8", nil)
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw fail(.headerNotJSON, "the header is not valid JSON (\(error.localizedDescription))", nil)
        }
        guard let object = json as? [String: Any] else {
            throw fail(.headerNotObject, "the header is JSON but not an object", nil)
        }
        return object
    }

    private static func metadata(_ value: Any, fail: Fail) throws -> [String: String] {
        if value is NSNull { return [:] }
        guard let object = value as? [String: Any] else {
            throw fail(.invalidMetadata, "__metadata__ is not an object", nil)
        }
        var metadata: [String: String] = [:]
        for (key, entry) in object {
            guard let string = entry as? String else {
                throw fail(.invalidMetadata, "__metadata__[\"\(key)\"] is not a string", nil)
            }
            metadata[key] = string
        }
        return metadata
    }

    private static func tensor(_ name: String, _ value: Any, bufferSize: Int, fail: Fail) throws -> TensorInfo {
        guard let entry = value as? [String: Any] else {
            throw fail(.invalidEntry, "tensor \"\(name)\" is not an object", name)
        }
        for field in ["dtype", "shape", "data_offsets"] where entry[field] == nil {
            throw fail(.invalidEntry, "tensor \"\(name)\" has no \"\(field)\"", name)
        }
        if let extra = entry.keys.sorted().first(where: { !["dtype", "shape", "data_offsets"].contains($0) }) {
            throw fail(.invalidEntry, "tensor \"\(name)\" has an unknown field \"\(extra)\"", name)
        }
        guard let dtypeName = entry["dtype"] as? String, let dtype = DType(rawValue: dtypeName) else {
            throw fail(
                .unsupportedDType,
                "tensor \"\(name)\" has dtype \(entry["dtype"] ?? "none"), not one of \(DType.supportedList)", name)
        }
        guard let dims = entry["shape"] as? [Any], let shape = integers(dims), shape.allSatisfy({ $0 >= 0 }) else {
            throw fail(
                .invalidShape,
                "tensor \"\(name)\" has shape \(entry["shape"] ?? "none"), not a list of non-negative integers",
                name)
        }
        guard let offsetValues = entry["data_offsets"] as? [Any], let offsets = integers(offsetValues),
            offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1]
        else {
            throw fail(
                .invalidOffsets,
                "tensor \"\(name)\" has data_offsets \(entry["data_offsets"] ?? "none"), not two integers 0 <= begin <= end",
                name)
        }
        var byteCount = dtype.byteSize
        for size in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw fail(.invalidShape, "tensor \"\(name)\" has shape \(shape), too large to count", name)
            }
            byteCount = product
        }
        guard offsets[1] - offsets[0] == byteCount else {
            throw fail(
                .byteLengthMismatch,
                "tensor \"\(name)\" (\(dtype.rawValue) \(shape)) needs \(byteCount) bytes "
                    + "but data_offsets \(offsets) give \(offsets[1] - offsets[0])",
                name)
        }
        guard offsets[1] <= bufferSize else {
            throw fail(
                .offsetsOutOfBounds,
                "tensor \"\(name)\" has data_offsets \(offsets) past the end of the \(bufferSize)-byte data buffer",
                name)
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
    }

    /// Checks that `tensors` (sorted by offset) tile 0..<bufferSize without overlap or gap.
    private static func checkCoverage(_ tensors: [TensorInfo], bufferSize: Int, fail: Fail) throws {
        var covered = 0
        var last: TensorInfo? = nil
        for tensor in tensors {
            let range = tensor.dataOffsets
            if range.lowerBound < covered, let last {
                throw fail(
                    .overlappingTensors,
                    "tensors \"\(last.name)\" (bytes \(last.dataOffsets)) and \"\(tensor.name)\" "
                        + "(bytes \(range)) overlap",
                    tensor.name)
            }
            if range.lowerBound > covered {
                throw fail(
                    .uncoveredBytes,
                    "bytes \(covered)..<\(range.lowerBound) of the data buffer belong to no tensor "
                        + "(the gap is before \"\(tensor.name)\")", tensor.name)
            }
            covered = range.upperBound
            last = tensor
        }
        if covered < bufferSize {
            let after = last.map { " (after \"\($0.name)\")" } ?? ""
            throw fail(
                .uncoveredBytes, "bytes \(covered)..<\(bufferSize) of the data buffer belong to no tensor\(after)",
                last?.name)
        }
    }

    /// The values as Ints if every one is a JSON integer literal that fits.
    private static func integers(_ values: [Any]) -> [Int]? {
        var result: [Int] = []
        for value in values {
            guard let int = integer(value) else { return nil }
            result.append(int)
        }
        return result
    }

    /// `value` as an Int if it is a JSON integer literal that fits. JSONSerialization gives an
    /// NSNumber for every number and for true/false; only integer literals get an integer type
    /// code ("c" is a Bool, "d" any literal with a fraction or exponent).
    private static func integer(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        switch String(cString: number.objCType) {
        case "q", "l", "i", "s":
            return Int(exactly: number.int64Value)
        case "Q", "L", "I", "S", "C":
            return Int(exactly: number.uint64Value)
        default:
            return nil
        }
    }
}
