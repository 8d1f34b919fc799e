// Copies between the little-endian byte order of safetensors data and memory. On little-endian
// hosts (x86-64, arm64) it is a plain copy; on big-endian hosts each element's bytes are reversed.
// Source bytes need no alignment: the byte buffer of a file starts wherever its header ends.

/// Element arrays to and from little-endian bytes.
enum LittleEndianBytes {
    /// `count` elements of `Element` (whose size is `MemoryLayout<Element>.size`) read from `bytes`.
    static func elements<Element>(_ bytes: UnsafeRawBufferPointer, as _: Element.Type) -> [Element] {
        let size = MemoryLayout<Element>.size
        precondition(
            bytes.count % size == 0, "LittleEndianBytes.elements: \(bytes.count) bytes is not a multiple of \(size)")
        let count = bytes.count / size
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            let destination = UnsafeMutableRawBufferPointer(buffer)
            if count > 0 { destination.copyMemory(from: bytes) }
            #if _endian(big)
                for i in 0..<count { destination[(i * size)..<((i + 1) * size)].reverse() }
            #endif
            initialized = count
        }
    }

    /// The little-endian bytes of `values`.
    static func bytes<Element>(of values: [Element]) -> [UInt8] {
        var bytes = values.withUnsafeBytes { Array($0) }
        #if _endian(big)
            let size = MemoryLayout<Element>.size
            for i in 0..<values.count { bytes[(i * size)..<((i + 1) * size)].reverse() }
        #endif
        return bytes
    }
}
