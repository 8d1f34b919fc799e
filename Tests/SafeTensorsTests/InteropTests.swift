// Interop with the reference implementation, both ways, through the committed fixtures of
// scripts/fixtures/make-safetensors-fixtures: we read what Python's `safetensors` wrote
// (from_python.safetensors, every value bit-exact, float16/bfloat16 rounding as numpy and
// ml_dtypes round), and our writer reproduces from_vidact.safetensors byte for byte, the file that
// script checks with `safetensors.numpy.load_file` and against `safetensors.numpy.save`.
//
// Re-record from_vidact.safetensors with `RECORD_GOLDENS=1 swift test --filter SafeTensorsTests`,
// then rerun the script to check it in Python.
import Foundation
import Testing

@testable import SafeTensors
@testable import TensorCore

struct InteropTests {
    @Test func readsEveryTensorWrittenByPython() throws {
        let fixture = try InteropFixture()
        let file = try SafeTensorsFile(path: InteropFixture.path("from_python.safetensors"))
        #expect(file.metadata == fixture.metadata)
        #expect(Set(file.names) == Set(fixture.entries.map(\.name)))
        #expect(fixture.entries.count == 11)
        for entry in fixture.entries {
            let info = try file.info(entry.name)
            #expect(info.dtype.rawValue == entry.dtype, "\(entry.name)")
            #expect(info.shape == entry.shape, "\(entry.name)")
            let size = info.dtype.byteSize
            let expectedBytes = entry.values.flatMap { value in
                (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
            }
            #expect(try file.rawBytes(entry.name) == expectedBytes, "\(entry.name)")
            try checkTypedValues(file, entry)
        }
    }

    @Test func roundsHalfPrecisionLikeNumpyAndMLDtypes() throws {
        let fixture = try InteropFixture()
        for entry in fixture.entries where entry.sources != nil {
            let sources = entry.sources!.map { Float(bitPattern: $0) }
            let ours =
                entry.dtype == "F16" ? HalfFloat.float16Bits(from: sources) : HalfFloat.bfloat16Bits(from: sources)
            #expect(ours.map(UInt64.init) == entry.values, "\(entry.name): sources \(sources)")
        }
    }

    @Test func writerReproducesFromVidactByteForByte() throws {
        let fixture = try InteropFixture()
        var writer = SafeTensorsWriter(metadata: fixture.metadata)
        for entry in fixture.entries {
            let bits = entry.values
            switch entry.dtype {
            case "F32":
                writer.add(entry.name, Tensor(shape: entry.shape, storage: bits.map { Float(bitPattern: UInt32($0)) }))
            case "F16":
                let values = entry.decoded!.map { Float(bitPattern: $0) }
                writer.add(entry.name, Tensor(shape: entry.shape, storage: values), dtype: .f16)
            case "BF16": continue  // numpy cannot load bfloat16, so from_vidact leaves it out
            case "F64": writer.add(entry.name, bits.map { Double(bitPattern: $0) }, shape: entry.shape)
            case "I64": writer.add(entry.name, bits.map { Int64(bitPattern: $0) }, shape: entry.shape)
            case "I32": writer.add(entry.name, bits.map { Int32(truncatingIfNeeded: $0) }, shape: entry.shape)
            case "U8": writer.add(entry.name, bits.map { UInt8($0) }, shape: entry.shape)
            default: Issue.record("unexpected dtype \(entry.dtype) in from_python.json")
            }
        }
        let golden = InteropFixture.path("from_vidact.safetensors")
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            try writer.write(to: golden)
            print("recorded \(golden); check it with scripts/fixtures/make-safetensors-fixtures")
        }
        guard let committed = FileManager.default.contents(atPath: golden) else {
            Issue.record("\(golden) is missing: record it with RECORD_GOLDENS=1 swift test --filter SafeTensorsTests")
            return
        }
        let ours = writer.serialized()
        let firstDifference = zip(ours, committed).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(
            ours == [UInt8](committed),
            "first difference at byte \(firstDifference ?? min(ours.count, committed.count)) of \(ours.count) vs \(committed.count)"
        )
        // And our reader reads it back to the same values.
        let file = try SafeTensorsFile(path: golden)
        for entry in fixture.entries where entry.dtype != "BF16" {
            try checkTypedValues(file, entry)
        }
    }

    /// The tensor's values through the typed accessors equal the fixture's, bit for bit.
    private func checkTypedValues(_ file: SafeTensorsFile, _ entry: InteropFixture.Entry) throws {
        let values = entry.values
        switch entry.dtype {
        case "F32":
            #expect(try file.tensor(entry.name).storage.map { UInt64($0.bitPattern) } == values, "\(entry.name)")
        case "F16", "BF16":
            let decoded = try file.tensor(entry.name).storage.map(\.bitPattern)
            #expect(decoded == entry.decoded, "\(entry.name): widened as numpy/ml_dtypes widen")
        case "F64":
            #expect(try file.array(entry.name, as: Double.self).map(\.bitPattern) == values, "\(entry.name)")
        case "I64":
            #expect(
                try file.array(entry.name, as: Int64.self).map { UInt64(bitPattern: $0) } == values, "\(entry.name)")
        case "I32":
            let ints = try file.array(entry.name, as: Int32.self).map { UInt64(bitPattern: Int64($0)) }
            #expect(ints == values, "\(entry.name)")
        case "U8":
            #expect(try file.array(entry.name, as: UInt8.self).map(UInt64.init) == values, "\(entry.name)")
        default:
            Issue.record("unexpected dtype \(entry.dtype)")
        }
    }
}
