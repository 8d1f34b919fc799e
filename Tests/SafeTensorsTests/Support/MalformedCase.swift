// One malformed file for SafeTensorsHeaderTests: its bytes, the error kind it must give and the
// tensor that error must name. Shown by name in the test report.
import Testing

@testable import SafeTensors

struct MalformedCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let kind: SafeTensorsError.Kind
    let tensor: String?

    init(_ name: String, _ bytes: [UInt8], _ kind: SafeTensorsError.Kind, tensor: String? = nil) {
        self.name = name
        self.bytes = bytes
        self.kind = kind
        self.tensor = tensor
    }

    /// A file whose header is `{"t": <entry>}` over `buffer` bytes.
    init(_ name: String, entry: String, buffer: Int = 4, _ kind: SafeTensorsError.Kind) {
        self.init(
            name, safetensorsBytes(header: #"{"t":"# + entry + "}", buffer: [UInt8](repeating: 0, count: buffer)), kind,
            tensor: "t")
    }

    var testDescription: String { name }
}
