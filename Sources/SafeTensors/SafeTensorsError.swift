// Typed errors of safetensors reading, writing and weight lookup. Every error names the file, says
// what is wrong in words a person can act on, and where it concerns one tensor, names it (the full
// key for scoped weight lookups). System-call failures carry the call and errno.
import Basics

/// Why a safetensors file could not be read, validated, looked up in or written.
public struct SafeTensorsError: VidactError, Sendable, Equatable, CustomStringConvertible {
    /// The category of failure; stable names for logs, JSON and tests.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        // The file system.
        case fileNotFound
        case permissionDenied
        /// A directory, FIFO, device or socket.
        case notARegularFile
        case ioError
        // The layout: 8-byte length, JSON header, byte buffer.
        /// Fewer than the 8 bytes of the header length.
        case fileTooShort
        /// The header length is over 100 MB (the reference implementation's limit).
        case headerTooLarge
        /// The header length runs past the end of the file.
        case headerLengthBeyondFile
        case headerNotUTF8
        case headerNotJSON
        /// Valid JSON, but not an object.
        case headerNotObject
        /// A tensor entry that is not an object of exactly `dtype`, `shape` and `data_offsets`.
        case invalidEntry
        case unsupportedDType
        /// A shape that is not a list of non-negative integers, or whose size overflows.
        case invalidShape
        /// `data_offsets` that are not two non-negative integers with begin <= end.
        case invalidOffsets
        /// `data_offsets` past the end of the byte buffer.
        case offsetsOutOfBounds
        case overlappingTensors
        /// Bytes of the buffer that no tensor covers (the format requires full coverage).
        case uncoveredBytes
        /// shape × dtype size differs from end - begin.
        case byteLengthMismatch
        /// `__metadata__` that is not an object of string values.
        case invalidMetadata
        // Lookups.
        case tensorNotFound
        case wrongDType
        case wrongShape
        /// Tensors that a strict weight load did not consume.
        case unexpectedTensors
    }

    public let kind: Kind
    /// The file the error is about.
    public let path: String
    /// What went wrong, in words.
    public let detail: String
    /// The tensor concerned (full key), when there is one.
    public let tensor: String?
    /// The system call that failed and its errno, when there was one.
    public let call: String?
    public let code: Int32?

    public init(
        _ kind: Kind, path: String, _ detail: String, tensor: String? = nil, call: String? = nil, code: Int32? = nil
    ) {
        self.kind = kind
        self.path = path
        self.detail = detail
        self.tensor = tensor
        self.call = call
        self.code = code
    }

    /// A failed file operation as a safetensors error of the same kind, keeping errno.
    public init(fileError: FileError) {
        let kind: Kind
        switch fileError.kind {
        case .fileNotFound: kind = .fileNotFound
        case .permissionDenied: kind = .permissionDenied
        case .notARegularFile: kind = .notARegularFile
        case .diskFull, .ioError: kind = .ioError
        }
        self.init(kind, path: fileError.path, fileError.detail, call: fileError.call, code: fileError.code)
    }

    public var errno: Int32? { code }

    /// One line: file, what is wrong, what to do.
    public var description: String {
        var text = "\(path): \(detail)"
        if let call, let code { text += " [\(call) failed with errno \(code)]" }
        return text + " — " + kind.advice
    }
}

extension SafeTensorsError.Kind {
    /// What a person can do about this kind of failure.
    public var advice: String {
        switch self {
        case .fileNotFound: return "check the path; the file does not exist."
        case .permissionDenied: return "make the file (or its folder, when writing) accessible to this user."
        case .notARegularFile: return "point at the .safetensors file itself."
        case .ioError: return "check the disk and the file system."
        case .fileTooShort, .headerTooLarge, .headerLengthBeyondFile, .headerNotUTF8, .headerNotJSON,
            .headerNotObject, .invalidEntry, .invalidShape, .invalidOffsets, .offsetsOutOfBounds,
            .overlappingTensors, .uncoveredBytes, .byteLengthMismatch, .invalidMetadata:
            return "this is not a valid safetensors file (damaged, truncated or another format); regenerate it."
        case .unsupportedDType:
            return "vidact reads \(DType.supportedList); convert the tensor to one of these."
        case .tensorNotFound, .wrongDType, .wrongShape, .unexpectedTensors:
            return "the file does not match what the model expects; check that it was made for this model."
        }
    }
}
