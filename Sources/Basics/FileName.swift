// File names as bytes. POSIX names are byte strings, not text: a folder may hold a file whose name
// is not valid UTF-8 (bytes `ff fe`, a Latin-1 name from an old camera). Swift's `String` cannot
// hold such bytes, and `String(cString:)` replaces them with U+FFFD, so the name no longer opens.
// vidact keeps every path as a `String` in which each byte that is not part of valid UTF-8 is one
// private-use scalar U+10FF80…U+10FFFF (U+10FF00 + the byte; only bytes ≥ 0x80 can be invalid),
// the idea of Python's `surrogateescape` with scalars Swift allows. The mapping is injective: a
// valid UTF-8 sequence that itself encodes U+10FF80…U+10FFFF is escaped byte by byte too, so
// `bytes(decode(b)) == b` for every byte string. Such paths round-trip through the catalog, CSV
// files and JSON as ordinary text; every system call reaches the file through `withCString`, and
// people see `display` (the escapes as U+FFFD).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Lossless conversion between file-name bytes and vidact's path strings.
public enum FileName {
    static let escapeBase: UInt32 = 0x10_FF00
    static let escapes: ClosedRange<UInt32> = 0x10_FF80...0x10_FFFF

    /// The path string of the name bytes `bytes` (no NUL).
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            if let (scalar, length) = utf8Scalar(bytes, at: index), !escapes.contains(scalar.value) {
                scalars.append(scalar)
                index += length
            } else {
                scalars.append(escape(bytes[index]))
                index += 1
            }
        }
        return String(scalars)
    }

    /// The name bytes of a path string: escapes back to their bytes, everything else as UTF-8.
    public static func bytes(_ path: String) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if escapes.contains(scalar.value) {
                result.append(UInt8(scalar.value - escapeBase))
            } else {
                result.append(contentsOf: String(scalar).utf8)
            }
        }
        return result
    }

    /// Whether `path` holds bytes that are not UTF-8 (escapes).
    public static func hasEscapes(_ path: String) -> Bool {
        path.unicodeScalars.contains { escapes.contains($0.value) }
    }

    /// `body` with the NUL-terminated name bytes of `path`: what every system call must be given.
    public static func withCString<Result>(
        _ path: String, _ body: (UnsafePointer<CChar>) throws -> Result
    ) rethrows -> Result {
        guard hasEscapes(path) else { return try path.withCString(body) }
        let terminated = bytes(path).map { CChar(bitPattern: $0) } + [0]
        return try terminated.withUnsafeBufferPointer { buffer in
            // A non-empty array always has a base address.
            guard let base = buffer.baseAddress else { preconditionFailure("FileName.withCString: empty buffer") }
            return try body(base)
        }
    }

    /// The path for people: each byte that is not UTF-8 shown as U+FFFD.
    public static func display(_ path: String) -> String {
        guard hasEscapes(path) else { return path }
        var scalars = String.UnicodeScalarView()
        for scalar in path.unicodeScalars {
            scalars.append(escapes.contains(scalar.value) ? "\u{FFFD}" : scalar)
        }
        return String(scalars)
    }

    /// The path string of a C name (`readdir`'s `d_name`, `realpath`'s result).
    public static func decode(cString: UnsafePointer<CChar>) -> String {
        decode(UnsafeBufferPointer(start: cString, count: strlen(cString)).map { UInt8(bitPattern: $0) })
    }

    static func escape(_ byte: UInt8) -> Unicode.Scalar {
        // U+10FF80…U+10FFFF are valid scalars (private use plane 16; the last two are noncharacters,
        // which Swift strings may hold).
        guard let scalar = Unicode.Scalar(escapeBase + UInt32(byte)) else {
            preconditionFailure("FileName.escape: U+\(escapeBase + UInt32(byte)) is not a scalar")
        }
        return scalar
    }

    /// The scalar of the well-formed UTF-8 sequence at `index` (RFC 3629: no overlong forms, no
    /// surrogates, nothing above U+10FFFF) and its length, or nil.
    static func utf8Scalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        if lead < 0x80 { return Unicode.Scalar(UInt32(lead)).map { ($0, 1) } }
        let length: Int
        var value: UInt32
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: (length, value) = (2, UInt32(lead & 0x1F))
        case 0xE0: (length, value, low) = (3, UInt32(lead & 0x0F), 0xA0)
        case 0xE1...0xEC, 0xEE...0xEF: (length, value) = (3, UInt32(lead & 0x0F))
        case 0xED: (length, value, high) = (3, UInt32(lead & 0x0F), 0x9F)
        case 0xF0: (length, value, low) = (4, UInt32(lead & 0x07), 0x90)
        case 0xF1...0xF3: (length, value) = (4, UInt32(lead & 0x07))
        case 0xF4: (length, value, high) = (4, UInt32(lead & 0x07), 0x8F)
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            // Only the second byte has the narrowed range.
            let range = offset == 1 ? low...high : 0x80...0xBF
            guard range.contains(byte) else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return Unicode.Scalar(value).map { ($0, length) }
    }
}
