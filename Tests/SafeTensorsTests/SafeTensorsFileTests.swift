// SafeTensorsFile on well-formed files: header entries, metadata, raw bytes, conversions, and the
// errors of lookups (missing tensor, wrong dtype) and of the file system (missing file, folder).
import Foundation
import Testing

@testable import SafeTensors
@testable import TensorCore

struct SafeTensorsFileTests {
    let folder = TemporaryFolder()

    /// A hand-made file: "w" F32 [2] = [1, -2] at 0..<8, "b" BF16 [2] = [1, -2] at 8..<12, "i" I32 [] = 7
    /// at 12..<16; the JSON keys are not in offset order and the header is not padded.
    func handMadeFile() -> String {
        let header =
            #"{"i":{"dtype":"I32","shape":[],"data_offsets":[12,16]},"__metadata__":{"k":"v"},"#
            + #""w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]}}"#
        let buffer: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0x80, 0x3F, 0x00, 0xC0, 7, 0, 0, 0]
        return folder.write("hand.safetensors", safetensorsBytes(header: header, buffer: buffer))
    }

    @Test func readsAHandMadeFile() throws {
        let file = try SafeTensorsFile(path: handMadeFile())
        #expect(file.names == ["w", "b", "i"])  // file order
        #expect(file.metadata == ["k": "v"])
        #expect(try file.info("b") == TensorInfo(name: "b", dtype: .bf16, shape: [2], dataOffsets: 8..<12))
        #expect(try file.info("i").elementCount == 1)
        #expect(try file.rawBytes("b") == [0x80, 0x3F, 0x00, 0xC0])
        #expect(try file.tensor("w") == Tensor(shape: [2], storage: [1, -2]))
        #expect(try file.tensor("b") == Tensor(shape: [2], storage: [1, -2]))
        #expect(try file.array("i", as: Int32.self) == [7])
        #expect(file.contains("w") && !file.contains("__metadata__"))
    }

    @Test func aFileWithNoTensorsIsValid() throws {
        let file = try SafeTensorsFile(path: folder.write("empty.safetensors", safetensorsBytes(header: "{}")))
        #expect(file.names.isEmpty)
        #expect(file.metadata.isEmpty)
        let nullMetadata = folder.write("null.safetensors", safetensorsBytes(header: #"{"__metadata__":null}"#))
        #expect(try SafeTensorsFile(path: nullMetadata).metadata.isEmpty)
    }

    @Test func lookupErrorsNameTheTensor() throws {
        let path = handMadeFile()
        let file = try SafeTensorsFile(path: path)
        let missing = #expect(throws: SafeTensorsError.self) { try file.tensor("nope") }
        #expect(missing?.kind == .tensorNotFound)
        #expect(missing?.tensor == "nope")
        let notFloat = #expect(throws: SafeTensorsError.self) { try file.tensor("i") }
        #expect(notFloat?.kind == .wrongDType)
        #expect(
            notFloat?.description
                == "\(path): tensor \"i\" is I32, expected F32 or F16 or BF16 — \(SafeTensorsError.Kind.wrongDType.advice)"
        )
        let notInt64 = #expect(throws: SafeTensorsError.self) { try file.array("i", as: Int64.self) }
        #expect(notInt64?.kind == .wrongDType)
        let notDouble = #expect(throws: SafeTensorsError.self) { try file.array("w", as: Double.self) }
        #expect(notDouble?.kind == .wrongDType)
    }

    @Test func fileSystemErrors() throws {
        let missing = folder.path("absent.safetensors")
        let notFound = #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: missing) }
        #expect(notFound?.kind == .fileNotFound)
        #expect(notFound?.path == missing)
        #expect(notFound?.call == "open")
        #expect(notFound?.description.hasPrefix("\(missing): open: No such file or directory") == true)
        let directory = #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: folder.url.path) }
        #expect(directory?.kind == .notARegularFile)
    }

    @Test func tensorsOutliveTheReader() throws {
        var tensor: Tensor? = nil
        do {
            let file = try SafeTensorsFile(path: handMadeFile())
            tensor = try file.tensor("w")
        }
        #expect(tensor == Tensor(shape: [2], storage: [1, -2]))
    }
}
