// The committed interop fixtures of Tests/SafeTensorsTests/Fixtures, made by
// scripts/fixtures/make-safetensors-fixtures: from_python.safetensors (written by the reference
// implementation) and from_python.json (its expected values, exact: floats as hex bit patterns,
// integers in decimal), and from_vidact.safetensors (what our writer makes from the same values).
import Foundation

struct InteropFixture {
    struct Entry {
        let name: String
        let dtype: String
        let shape: [Int]
        /// Bit patterns (floats) or two's-complement values (integers), widened to 64 bits.
        let values: [UInt64]
        /// For F16/BF16: the float32 bit patterns they were rounded from, and the float32 bit
        /// patterns numpy/ml_dtypes widen them back to.
        let sources: [UInt32]?
        let decoded: [UInt32]?
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String {
        folder.appendingPathComponent(name).path
    }

    let metadata: [String: String]
    let entries: [Entry]

    /// Loads from_python.json.
    init() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.path("from_python.json")))
        struct Raw: Decodable {
            struct Tensor: Decodable {
                var name: String
                var dtype: String
                var shape: [Int]
                var values: [String]
                var sources: [String]?
                var decoded: [String]?
            }
            var metadata: [String: String]
            var tensors: [Tensor]
        }
        let raw = try JSONDecoder().decode(Raw.self, from: data)
        metadata = raw.metadata
        entries = try raw.tensors.map { entry in
            Entry(
                name: entry.name, dtype: entry.dtype, shape: entry.shape, values: try entry.values.map(Self.parse),
                sources: try entry.sources?.map { UInt32(try Self.parse($0)) },
                decoded: try entry.decoded?.map { UInt32(try Self.parse($0)) })
        }
    }

    struct NotANumber: Error {
        var text: String
    }

    /// "0x…" as bits, or a decimal integer as its two's-complement bits.
    private static func parse(_ text: String) throws -> UInt64 {
        if text.hasPrefix("0x") {
            guard let bits = UInt64(text.dropFirst(2), radix: 16) else { throw NotANumber(text: text) }
            return bits
        }
        guard let value = Int64(text) else { throw NotANumber(text: text) }
        return UInt64(bitPattern: value)
    }
}
