// Writer of NumPy's `.npy` format (version 1.0) for `vidact features export`: the magic
// "\x93NUMPY", version 1.0, a little-endian u16 header length, then an ASCII dict
// `{'descr': '<f4', 'fortran_order': False, 'shape': (T, D), }` padded with spaces and a newline to
// a multiple of 64 bytes, then the C-order data. Files are written atomically.
import Basics
import Foundation
import SafeTensors

/// `.npy` files for tools that want plain arrays.
public enum NPYFile {
    /// Writes `values` (row-major, `shape`) with NumPy descr `descr` ("<f4", "<f8", "<i8").
    public static func write(bytes: [UInt8], descr: String, shape: [Int], to path: String) throws {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(dims)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var file: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = UInt16(header.utf8.count)
        file += [UInt8(length & 0xFF), UInt8(length >> 8)]
        file += Array(header.utf8)
        file += bytes
        do {
            try AtomicFile.write(file, to: path)
        } catch {
            throw FeatureStoreError(.io, path: path, "cannot write: \(error)", errno: error.code)
        }
    }

    /// Little-endian bytes of `values`.
    public static func bytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.withUnsafeBufferPointer { buffer in
            var out: [UInt8] = []
            out.reserveCapacity(buffer.count * MemoryLayout<T>.size)
            for value in buffer { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
            return out
        }
    }

    public static func bytes(_ values: [Float]) -> [UInt8] { bytes(values.map(\.bitPattern)) }
    public static func bytes(_ values: [Double]) -> [UInt8] { bytes(values.map(\.bitPattern)) }
}
