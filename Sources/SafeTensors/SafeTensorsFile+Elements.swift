// Typed access to a tensor's values: Float tensors from F32, F16 and BF16 (F16 and BF16 widened
// exactly by `HalfFloat`), and arrays of Double, Int64, Int32 or UInt8 from F64, I64, I32, U8. A
// dtype that does not match the request throws `wrongDType`; nothing converts silently between
// integer and float types or narrows F64.

import TensorCore

extension SafeTensorsFile {
    /// The tensor as Floats; its dtype must be F32, F16 or BF16.
    public func tensor(_ name: String) throws -> Tensor {
        let info = try info(name)
        let values: [Float]
        switch info.dtype {
        case .f32:
            values = try withRawBytes(name) { LittleEndianBytes.elements($0, as: Float.self) }
        case .f16:
            values = try withRawBytes(name) {
                HalfFloat.floats(fromFloat16Bits: LittleEndianBytes.elements($0, as: UInt16.self))
            }
        case .bf16:
            values = try withRawBytes(name) {
                HalfFloat.floats(fromBFloat16Bits: LittleEndianBytes.elements($0, as: UInt16.self))
            }
        default:
            throw wrongDType(info, expected: DType.tensorTypes)
        }
        return Tensor(shape: info.shape, storage: values)
    }

    /// The tensor's values in row-major order; its dtype must be `Element.dtype`.
    public func array<Element: SafeTensorsElement>(
        _ name: String, as _: Element.Type = Element.self
    ) throws -> [Element] {
        let info = try info(name)
        guard info.dtype == Element.dtype else { throw wrongDType(info, expected: [Element.dtype]) }
        return try withRawBytes(name) { LittleEndianBytes.elements($0, as: Element.self) }
    }

    func wrongDType(_ info: TensorInfo, expected: [DType]) -> SafeTensorsError {
        let wanted = expected.map(\.rawValue).joined(separator: " or ")
        return SafeTensorsError(
            .wrongDType, path: path, "tensor \"\(info.name)\" is \(info.dtype.rawValue), expected \(wanted)",
            tensor: info.name)
    }
}
