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
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        metadata = json["metadata"] as! [String: String]
        entries = (json["tensors"] as! [[String: Any]]).map { entry in
            Entry(
                name: entry["name"] as! String, dtype: entry["dtype"] as! String, shape: entry["shape"] as! [Int],
                values: (entry["values"] as! [String]).map(Self.parse),
                sources: (entry["sources"] as? [String])?.map { UInt32(Self.parse($0)) },
                decoded: (entry["decoded"] as? [String])?.map { UInt32(Self.parse($0)) })
        }
    }

    /// "0x…" as bits, or a decimal integer as its two's-complement bits.
    private static func parse(_ text: String) -> UInt64 {
        if text.hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16)! }
        return UInt64(bitPattern: Int64(text)!)
    }
}
