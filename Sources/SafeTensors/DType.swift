// The element types vidact reads and writes in safetensors files, by their header names. The
// format defines more (BOOL, I8, U16, F8_E4M3, …); a file using one of those is refused with
// `SafeTensorsError.Kind.unsupportedDType` rather than misread.

/// A safetensors element type; `rawValue` is the name in the header.
public enum DType: String, CaseIterable, Sendable, Codable {
    case f64 = "F64"
    case i64 = "I64"
    case f32 = "F32"
    case i32 = "I32"
    case bf16 = "BF16"
    case f16 = "F16"
    case u8 = "U8"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f64, .i64: return 8
        case .f32, .i32: return 4
        case .bf16, .f16: return 2
        case .u8: return 1
        }
    }

    /// The types that `SafeTensorsFile.tensor(_:)` converts to a Float `Tensor`.
    public static let tensorTypes: [DType] = [.f32, .f16, .bf16]

    /// The position of this type in the reference implementation's `Dtype` enum (declared "in
    /// increasing alignment order": BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32,
    /// F32, F64, I64, U64). Its writer lays tensors out by this rank, descending, then by name.
    var referenceRank: Int {
        switch self {
        case .u8: return 1
        case .f16: return 7
        case .bf16: return 8
        case .i32: return 9
        case .f32: return 11
        case .f64: return 12
        case .i64: return 13
        }
    }

    /// The names of every supported type, for messages.
    static let supportedList = "F32, F16, BF16, F64, I64, I32, U8"
}
