// The element types that travel as typed arrays rather than as Float tensors: F64 timestamps, I64
// frame indices and counters, I32 and U8 data. Float tensors (F32, F16, BF16) go through `Tensor`
// instead. Values are stored little-endian; `LittleEndianBytes` converts on big-endian hosts.

/// A Swift type stored in safetensors as `dtype`.
public protocol SafeTensorsElement: Sendable {
    static var dtype: DType { get }
}

extension Double: SafeTensorsElement {
    public static var dtype: DType { .f64 }
}

extension Int64: SafeTensorsElement {
    public static var dtype: DType { .i64 }
}

extension Int32: SafeTensorsElement {
    public static var dtype: DType { .i32 }
}

extension UInt8: SafeTensorsElement {
    public static var dtype: DType { .u8 }
}
