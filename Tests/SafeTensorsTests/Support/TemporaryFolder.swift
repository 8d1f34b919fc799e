// A fresh folder per test for the files the tests write (round trips, malformed headers), removed
// when the test's suite instance goes away; and a builder of raw safetensors bytes, so malformed
// files can be made byte by byte.
import Foundation

final class TemporaryFolder {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("vidact-safetensors-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            fatalError("TemporaryFolder: cannot create \(url.path): \(error)")
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// The path of `name` in the folder.
    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Writes `bytes` to `name` and returns its path.
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = path(name)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            fatalError("TemporaryFolder: cannot write \(path): \(error)")
        }
        return path
    }

    /// Names in the folder, hidden ones included.
    func contents() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: url.path).sorted()) ?? []
    }
}

/// The bytes of a safetensors file with `header` as its JSON text and `buffer` after it; the
/// length field says `declaredLength` when given, else the header's byte count.
func safetensorsBytes(header: String, buffer: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
    safetensorsBytes(headerBytes: Array(header.utf8), buffer: buffer, declaredLength: declaredLength)
}

func safetensorsBytes(headerBytes: [UInt8], buffer: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
    let length = declaredLength ?? UInt64(headerBytes.count)
    return withUnsafeBytes(of: length.littleEndian) { Array($0) } + headerBytes + buffer
}
