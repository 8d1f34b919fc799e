// SafeTensorsWriter: the exact bytes of the reference implementation's own serialisation test
// vectors (safetensors/src/tensor.rs), header padding and tensor order, a round trip of every
// dtype with metadata, and the atomic write (no temporary file left, replaces, reports errors).
import Foundation
import Testing

@testable import SafeTensors
@testable import TensorCore

struct SafeTensorsWriterTests {
    let folder = TemporaryFolder()

    @Test func matchesTheReferenceSerializationVector() {
        // tensor.rs `test_serialization`: "attn.0", F32 [1, 2, 3], values 0 … 5; the header is
        // exactly 64 bytes, so no padding.
        var writer = SafeTensorsWriter()
        writer.add("attn.0", Tensor(shape: [1, 2, 3], storage: [0, 1, 2, 3, 4, 5]))
        let expected: [UInt8] = [
            64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101,
            34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 50, 44, 51, 93, 44, 34,
            100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0,
            0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
        ]
        #expect(writer.serialized() == expected)
    }

    @Test func matchesTheReferencePaddingVector() {
        // tensor.rs `test_serialization_forced_alignement`: "attn0", F32 [1, 1, 2, 3]: a 65-byte
        // header padded with 7 spaces to 72.
        var writer = SafeTensorsWriter()
        writer.add("attn0", Tensor(shape: [1, 1, 2, 3], storage: [0, 1, 2, 3, 4, 5]))
        let bytes = writer.serialized()
        let header = #"{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}"# + "       "
        #expect(bytes == safetensorsBytes(header: header) + LittleEndianBytes.bytes(of: [Float(0), 1, 2, 3, 4, 5]))
    }

    @Test func matchesTheReferenceEmptyVectors() {
        // tensor.rs `test_empty`: no tensors, then metadata {"framework": "pt"}.
        #expect(SafeTensorsWriter().serialized() == [8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32])
        let withMetadata = SafeTensorsWriter(metadata: ["framework": "pt"]).serialized()
        #expect(withMetadata == safetensorsBytes(header: #"{"__metadata__":{"framework":"pt"}}"# + "     "))
    }

    @Test func ordersByDtypeAlignmentThenName() {
        var writer = SafeTensorsWriter(metadata: ["b": "2", "a": "1"])
        writer.add("u", [UInt8(1)], shape: [1])
        writer.add("h", Tensor(shape: [1], storage: [1]), dtype: .f16)
        writer.add("i32", [Int32(1)], shape: [1])
        writer.add("z", Tensor(shape: [1], storage: [1]))
        writer.add("a", Tensor(shape: [1], storage: [1]))
        writer.add("d", [Double(1)], shape: [1])
        writer.add("q", [Int64(1)], shape: [1])
        #expect(writer.names == ["q", "d", "a", "z", "i32", "h", "u"])
        let bytes = writer.serialized()
        let length = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect(length % 8 == 0)
        let header = String(decoding: bytes[8..<8 + length], as: UTF8.self)
        #expect(
            header.hasPrefix(#"{"__metadata__":{"a":"1","b":"2"},"q":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}"#)
        )
        #expect(header.contains(#""u":{"dtype":"U8","shape":[1],"data_offsets":[30,31]}}"#))
    }

    @Test func escapesStringsAsSerdeJSON() {
        #expect(SafeTensorsWriter.json("a\"b\\c/d") == #""a\"b\\c/d""#)
        #expect(
            SafeTensorsWriter.json("\n\t\r\u{08}\u{0C}\u{01}\u{1F}\u{7F}é") == #""\n\t\r\b\f\u0001\u001f"# + "\u{7F}é\""
        )
    }

    @Test func roundTripsEveryDtypeWithMetadata() throws {
        var rng = SeededRNG(seed: 5)
        let weights = Tensor.normal(shape: [3, 4, 2], using: &rng)
        let halves = Tensor(shape: [2, 3], storage: [1, -2.5, 65504, 0x1p-24, .infinity, 0.333251953125])
        var writer = SafeTensorsWriter(metadata: ["format": "vidact-features", "version": "1", "note": "ünïcode \"q\""])
        writer.add("features", weights)
        writer.add("features.f16", halves, dtype: .f16)
        writer.add("scalar", Tensor(scalar: -7.25))
        writer.add("empty", Tensor(zeros: [0, 5]))
        writer.add("timestamps", [0, 0.04, 1.0 / 3.0, -1e300], shape: [4])
        writer.add("frame_indices", [Int64.min, -1, 0, Int64.max], shape: [2, 2])
        writer.add("labels", [Int32.min, 7, Int32.max], shape: [3])
        writer.add("pixels", [UInt8](0...255), shape: [16, 16])
        let path = folder.path("all.safetensors")
        try writer.write(to: path)

        let file = try SafeTensorsFile(path: path)
        #expect(file.metadata == writer.metadata)
        #expect(
            Set(file.names) == [
                "features", "features.f16", "scalar", "empty", "timestamps", "frame_indices", "labels", "pixels",
            ])
        #expect(file.names == writer.names)
        #expect(try file.tensor("features") == weights)
        #expect(try file.tensor("features.f16") == halves)
        #expect(try file.info("features.f16").dtype == .f16)
        #expect(try file.tensor("scalar") == Tensor(scalar: -7.25))
        #expect(try file.tensor("empty") == Tensor(zeros: [0, 5]))
        #expect(try file.array("timestamps", as: Double.self) == [0, 0.04, 1.0 / 3.0, -1e300])
        #expect(try file.array("frame_indices", as: Int64.self) == [Int64.min, -1, 0, Int64.max])
        #expect(try file.info("frame_indices").shape == [2, 2])
        #expect(try file.array("labels", as: Int32.self) == [Int32.min, 7, Int32.max])
        #expect(try file.array("pixels", as: UInt8.self) == [UInt8](0...255))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(writer.serialized()))
    }

    @Test func float16StorageRoundsToNearestEven() throws {
        var writer = SafeTensorsWriter()
        writer.add("h", Tensor(shape: [3], storage: [1 + 0x1p-11, 65520, 0.1]), dtype: .f16)
        let path = folder.path("h.safetensors")
        try writer.write(to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(try file.rawBytes("h") == [0x00, 0x3C, 0x00, 0x7C, 0x66, 0x2E])
    }

    @Test func writeIsAtomicAndReplaces() throws {
        let path = folder.path("model.safetensors")
        var first = SafeTensorsWriter()
        first.add("a", Tensor(shape: [2], storage: [1, 2]))
        try first.write(to: path)
        var second = SafeTensorsWriter()
        second.add("b", [Int64(3)], shape: [])
        try second.write(to: path)
        #expect(folder.contents() == ["model.safetensors"])  // no temporary file left
        let file = try SafeTensorsFile(path: path)
        #expect(file.names == ["b"])
        #expect(try file.array("b", as: Int64.self) == [3])
    }

    @Test func writeIntoAMissingFolderFailsNamingTheFile() {
        let path = folder.path("missing/model.safetensors")
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensorsWriter().write(to: path) }
        #expect(error?.kind == .fileNotFound)
        #expect(error?.path == path)
        #expect(error?.call == "open")
        #expect(folder.contents() == [])
    }

    @Test func writeOverAFolderFailsAndCleansUp() throws {
        let path = folder.path("taken")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensorsWriter().write(to: path) }
        #expect(error?.call == "rename")
        #expect(folder.contents() == ["taken"])
    }
}
