// Every malformed file the reader must refuse, built byte by byte: each gives its own error kind,
// names the file (and the tensor where there is one), and never crashes or reads out of bounds.
import Foundation
import Testing

@testable import SafeTensors

struct SafeTensorsHeaderTests {
    let folder = TemporaryFolder()

    static let f32 = #""dtype":"F32""#

    static let cases: [MalformedCase] = [
        // Layout.
        MalformedCase("empty file", [], .fileTooShort),
        MalformedCase("five bytes", [1, 0, 0, 0, 0], .fileTooShort),
        MalformedCase(
            "header over 100 MB", safetensorsBytes(header: "{}", declaredLength: 100_000_001), .headerTooLarge),
        MalformedCase(
            "header length UInt64.max", safetensorsBytes(header: "{}", declaredLength: .max), .headerTooLarge),
        MalformedCase(
            "header past the end", safetensorsBytes(header: "{}", declaredLength: 100), .headerLengthBeyondFile),
        MalformedCase(
            "header one byte past", safetensorsBytes(header: "{}  ", declaredLength: 5), .headerLengthBeyondFile),
        // Header text.
        MalformedCase("not UTF-8", safetensorsBytes(headerBytes: [0x7B, 0xFF, 0x7D]), .headerNotUTF8),
        MalformedCase(
            "UTF-16 with a byte-order mark", safetensorsBytes(headerBytes: [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00]),
            .headerNotUTF8),
        MalformedCase("truncated JSON", safetensorsBytes(header: #"{"t": "#), .headerNotJSON),
        MalformedCase("NUL padding", safetensorsBytes(headerBytes: Array("{}".utf8) + [0, 0]), .headerNotJSON),
        MalformedCase("empty header", safetensorsBytes(header: ""), .headerNotJSON),
        MalformedCase("array", safetensorsBytes(header: "[1, 2]"), .headerNotObject),
        MalformedCase("number", safetensorsBytes(header: "42"), .headerNotObject),
        MalformedCase("string", safetensorsBytes(header: #""{}""#), .headerNotObject),
        // Metadata.
        MalformedCase("metadata array", safetensorsBytes(header: #"{"__metadata__":["a"]}"#), .invalidMetadata),
        MalformedCase(
            "metadata number value", safetensorsBytes(header: #"{"__metadata__":{"a":1}}"#), .invalidMetadata),
        MalformedCase(
            "metadata nested object", safetensorsBytes(header: #"{"__metadata__":{"a":{"b":"c"}}}"#), .invalidMetadata),
        MalformedCase(
            "metadata null value", safetensorsBytes(header: #"{"__metadata__":{"a":null}}"#), .invalidMetadata),
        // Entries.
        MalformedCase("entry is a list", entry: "[1]", .invalidEntry),
        MalformedCase("entry is a string", entry: #""F32""#, .invalidEntry),
        MalformedCase("no data_offsets", entry: "{\(f32),\"shape\":[1]}", .invalidEntry),
        MalformedCase("no dtype", entry: #"{"shape":[1],"data_offsets":[0,4]}"#, .invalidEntry),
        MalformedCase(
            "unknown field", entry: "{\(f32),\"shape\":[1],\"data_offsets\":[0,4],\"offsets\":[0,4]}", .invalidEntry),
        // Dtypes.
        MalformedCase("dtype BOOL", entry: #"{"dtype":"BOOL","shape":[4],"data_offsets":[0,4]}"#, .unsupportedDType),
        MalformedCase(
            "dtype F8_E4M3", entry: #"{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}"#, .unsupportedDType),
        MalformedCase(
            "dtype lower case", entry: #"{"dtype":"f32","shape":[1],"data_offsets":[0,4]}"#, .unsupportedDType),
        MalformedCase("dtype number", entry: #"{"dtype":4,"shape":[1],"data_offsets":[0,4]}"#, .unsupportedDType),
        // Shapes.
        MalformedCase("shape number", entry: "{\(f32),\"shape\":1,\"data_offsets\":[0,4]}", .invalidShape),
        MalformedCase("shape negative", entry: "{\(f32),\"shape\":[-1],\"data_offsets\":[0,4]}", .invalidShape),
        MalformedCase("shape fraction", entry: "{\(f32),\"shape\":[1.5],\"data_offsets\":[0,4]}", .invalidShape),
        MalformedCase("shape 1.0", entry: "{\(f32),\"shape\":[1.0],\"data_offsets\":[0,4]}", .invalidShape),
        MalformedCase("shape exponent", entry: "{\(f32),\"shape\":[1e0],\"data_offsets\":[0,4]}", .invalidShape),
        MalformedCase("shape boolean", entry: "{\(f32),\"shape\":[true],\"data_offsets\":[0,4]}", .invalidShape),
        MalformedCase("shape string", entry: "{\(f32),\"shape\":[\"1\"],\"data_offsets\":[0,4]}", .invalidShape),
        MalformedCase("shape null", entry: "{\(f32),\"shape\":null,\"data_offsets\":[0,4]}", .invalidShape),
        MalformedCase(
            "shape past Int.max", entry: "{\(f32),\"shape\":[18446744073709551615],\"data_offsets\":[0,4]}",
            .invalidShape),
        MalformedCase(
            "shape size overflows", entry: "{\(f32),\"shape\":[4611686018427387904,4],\"data_offsets\":[0,4]}",
            .invalidShape),
        // Offsets.
        MalformedCase("one offset", entry: "{\(f32),\"shape\":[1],\"data_offsets\":[4]}", .invalidOffsets),
        MalformedCase("three offsets", entry: "{\(f32),\"shape\":[1],\"data_offsets\":[0,4,8]}", .invalidOffsets),
        MalformedCase("begin after end", entry: "{\(f32),\"shape\":[1],\"data_offsets\":[4,0]}", .invalidOffsets),
        MalformedCase("negative begin", entry: "{\(f32),\"shape\":[1],\"data_offsets\":[-4,0]}", .invalidOffsets),
        MalformedCase(
            "string offsets", entry: "{\(f32),\"shape\":[1],\"data_offsets\":[\"0\",\"4\"]}", .invalidOffsets),
        MalformedCase("fractional offset", entry: "{\(f32),\"shape\":[1],\"data_offsets\":[0,4.0]}", .invalidOffsets),
        MalformedCase("offsets object", entry: "{\(f32),\"shape\":[1],\"data_offsets\":{\"0\":4}}", .invalidOffsets),
        MalformedCase(
            "size mismatch", entry: "{\(f32),\"shape\":[3],\"data_offsets\":[0,8]}", buffer: 8, .byteLengthMismatch),
        MalformedCase(
            "empty tensor with bytes", entry: "{\(f32),\"shape\":[0,3],\"data_offsets\":[0,4]}", .byteLengthMismatch),
        MalformedCase("past the buffer", entry: "{\(f32),\"shape\":[2],\"data_offsets\":[0,8]}", .offsetsOutOfBounds),
        MalformedCase(
            "far past the buffer",
            entry: "{\(f32),\"shape\":[1],\"data_offsets\":[4611686018427387904,4611686018427387908]}",
            .offsetsOutOfBounds),
        // Coverage of the buffer.
        MalformedCase(
            "overlap",
            safetensorsBytes(
                header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
                    + #""b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                buffer: [UInt8](repeating: 0, count: 12)), .overlappingTensors, tensor: "b"),
        MalformedCase(
            "same bytes twice",
            safetensorsBytes(
                header: #"{"a":{"dtype":"I32","shape":[],"data_offsets":[0,4]},"#
                    + #""b":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}"#,
                buffer: [0, 0, 0, 0]), .overlappingTensors, tensor: "b"),
        MalformedCase(
            "empty tensor inside another",
            safetensorsBytes(
                header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
                    + #""e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}"#,
                buffer: [UInt8](repeating: 0, count: 8)), .overlappingTensors, tensor: "e"),
        MalformedCase(
            "gap between tensors",
            safetensorsBytes(
                header: #"{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"#
                    + #""b":{"dtype":"F32","shape":[],"data_offsets":[8,12]}}"#,
                buffer: [UInt8](repeating: 0, count: 12)), .uncoveredBytes, tensor: "b"),
        MalformedCase(
            "gap at the start", entry: "{\(f32),\"shape\":[],\"data_offsets\":[4,8]}", buffer: 8, .uncoveredBytes),
        MalformedCase(
            "bytes after the last", entry: "{\(f32),\"shape\":[],\"data_offsets\":[0,4]}", buffer: 5, .uncoveredBytes),
        MalformedCase("bytes but no tensors", safetensorsBytes(header: "{}", buffer: [1]), .uncoveredBytes),
    ]

    @Test(arguments: cases)
    func refusesWithItsOwnError(_ malformed: MalformedCase) {
        let path = folder.write("bad.safetensors", malformed.bytes)
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: path) }
        #expect(error?.kind == malformed.kind, "\(error.map(String.init(describing:)) ?? "no error")")
        #expect(error?.path == path)
        if let tensor = malformed.tensor {
            #expect(error?.tensor == tensor)
        }
        #expect(error?.description.hasPrefix(path + ": ") == true)
    }

    @Test func messagesSayWhatIsWrong() {
        let path = folder.write(
            "bad.safetensors",
            safetensorsBytes(
                header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, buffer: [0, 0, 0, 0, 0, 0, 0, 0]))
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: path) }
        #expect(error?.detail == "tensor \"w\" (F32 [3]) needs 12 bytes but data_offsets [0, 8] give 8")
        let gap = folder.write("gap.safetensors", safetensorsBytes(header: "{}", buffer: [1, 2]))
        let uncovered = #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: gap) }
        #expect(uncovered?.detail == "bytes 0..<2 of the data buffer belong to no tensor")
    }

    @Test func acceptsWhatTheFormatAllows() throws {
        // Padding spaces, keys in any order, empty and scalar tensors, empty tensors between others.
        let header =
            #"{ "e":{"dtype":"U8","shape":[2,0],"data_offsets":[4,4]}, "#
            + #""s":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"z":{"dtype":"I64","shape":[0],"data_offsets":[6,6]},"#
            + #""h":{"dtype":"F16","shape":[1],"data_offsets":[4,6]} }     "#
        let path = folder.write(
            "ok.safetensors", safetensorsBytes(header: header, buffer: [0, 0, 0x80, 0x3F, 0x00, 0x3C]))
        let file = try SafeTensorsFile(path: path)
        #expect(file.names == ["s", "e", "h", "z"])
        #expect(try file.tensor("s")[] == 1)
        #expect(try file.tensor("h").storage == [1])
        #expect(try file.array("z", as: Int64.self) == [])
        #expect(try file.info("e").shape == [2, 0])
    }
}
