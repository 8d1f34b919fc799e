// What a block of memory holds: a logical shape, the element type (always f32 in vidact) and a
// physical layout. Plain layouts are row-major (`abcd…`: NCHW activations, OIHW weights, `[rows,
// cols]` matrices); `channelsLast` is NHWC; blocked layouts are those oneDNN picks for its JIT
// kernels, e.g. `aBcd8b` (nChw8c: channels in blocks of 8, innermost) for activations on AVX2, or
// `Abcde8a` for depthwise weights (groups in blocks of 8). `any` asks a primitive to choose.
//
// Shapes: activations `[N, C, H, W]`, weights `[O, I, KH, KW]` or `[G, O/G, I/G, KH, KW]`,
// matrices `[rows, cols]`, bias `[O]`. The shape is logical: it does not change with the layout,
// and a blocked layout may pad a blocked dimension up to a multiple of its block (so `byteCount`
// can exceed 4 · elementCount).

import CDNNL

/// A oneDNN memory descriptor (f32) with a shape and a layout.
public struct MemoryDescriptor: @unchecked Sendable, Equatable, CustomStringConvertible {
    /// How a new descriptor lays out its shape.
    /// The element type: f32 everywhere except the int8 path (u8/s8 activations and weights,
    /// s32 accumulators).
    public enum DataType: Sendable, Hashable {
        case f32
        case s8
        case u8
        case s32

        var raw: dnnl_data_type_t {
            switch self {
            case .f32: dnnl_f32
            case .s8: dnnl_s8
            case .u8: dnnl_u8
            case .s32: dnnl_s32
            }
        }
    }

    public enum Format: Sendable, Hashable {
        /// No layout yet: a primitive chooses (`dnnl_format_tag_any`).
        case any
        /// Row-major (`abcd…`): NCHW, OIHW, GOIHW, `[rows, cols]`, `[O]`.
        case plain
        /// NHWC (`acdb`); rank 4 only.
        case channelsLast
    }

    var raw: dnnl_memory_desc_t

    init(raw: dnnl_memory_desc_t) {
        self.raw = raw
    }

    /// A descriptor of f32 `shape` in `format`. Traps when oneDNN rejects the shape (rank 0 or
    /// above 12, a negative dimension) or `format` does not fit the rank.
    public init(shape: [Int], format: Format = .plain, dataType: DataType = .f32) {
        let op = "MemoryDescriptor(shape: \(shape), format: \(format), dataType: \(dataType))"
        precondition((1...maxDims).contains(shape.count), "\(op): rank must be 1...\(maxDims)")
        precondition(shape.allSatisfy { $0 >= 0 }, "\(op): dimensions must not be negative")
        let tag: dnnl_format_tag_t
        switch format {
        case .any: tag = dnnl_format_tag_any
        case .plain:
            precondition(shape.count <= 6, "\(op): plain descriptors are made for rank 1...6")
            tag = [dnnl_a, dnnl_ab, dnnl_abc, dnnl_abcd, dnnl_abcde, dnnl_abcdef][shape.count - 1]
        case .channelsLast:
            precondition(shape.count == 4, "\(op): channelsLast needs rank 4 [N, C, H, W]")
            tag = dnnl_acdb
        }
        var raw = dnnl_memory_desc_t()
        let status = withDims([shape]) { dims in
            dnnl_memory_desc_init_by_tag(&raw, Int32(shape.count), dims[0], dataType.raw, tag)
        }
        precondition(status == dnnl_success, "\(op): dnnl_memory_desc_init_by_tag returned \(statusText(status))")
        self.raw = raw
    }

    /// The logical shape, outermost first.
    public var shape: [Int] { dimsArray(raw.dims, count: Int(raw.ndims)) }

    /// Bytes a buffer for this descriptor needs (padding of blocked layouts included; 0 for `any`).
    public var dataType: DataType {
        switch raw.data_type {
        case dnnl_s8: .s8
        case dnnl_u8: .u8
        case dnnl_s32: .s32
        default: .f32
        }
    }

    /// The same shape and layout with elements of `type` (a plain f32 staging copy of an int8
    /// memory, for instance).
    public func with(dataType type: DataType) -> MemoryDescriptor {
        var copy = raw
        copy.data_type = type.raw
        return MemoryDescriptor(raw: copy)
    }

    /// A descriptor of `shape` (rank 4) in this descriptor's layout and type, for the layouts
    /// convolutions pick (plain, channels-last, 8- or 16-channel blocks); nil for any other.
    public func sameLayout(shape: [Int]) -> MemoryDescriptor? {
        let tags: [String: dnnl_format_tag_t] = [
            "abcd": dnnl_abcd, "acdb": dnnl_acdb, "aBcd8b": dnnl_aBcd8b, "aBcd16b": dnnl_aBcd16b,
        ]
        guard shape.count == 4, raw.ndims == 4, let tag = tags[layoutName] else { return nil }
        var result = dnnl_memory_desc_t()
        let type = raw.data_type
        let status = withDims([shape]) { dims in dnnl_memory_desc_init_by_tag(&result, 4, dims[0], type, tag) }
        return status == dnnl_success ? MemoryDescriptor(raw: result) : nil
    }

    public var byteCount: Int {
        withUnsafePointer(to: raw) { Int(dnnl_memory_desc_get_size($0)) }
    }

    /// Whether the layout is still to be chosen by a primitive.
    public var isAny: Bool { raw.format_kind == dnnl_format_kind_any }

    /// Whether the memory is a dense row-major array of `shape` (strides of size-1 dimensions,
    /// which oneDNN sets freely, are ignored), so it can be copied to and from a `Tensor` as is.
    public var isPlain: Bool {
        guard raw.format_kind == dnnl_blocked, raw.offset0 == 0 else { return false }
        let blocking = raw.format_desc.blocking
        let dims = shape
        guard blocking.inner_nblks == 0, dimsArray(raw.padded_dims, count: dims.count) == dims else { return false }
        let strides = dimsArray(blocking.strides, count: dims.count)
        var expected = 1
        for axis in dims.indices.reversed() {
            if dims[axis] > 1 && strides[axis] != expected { return false }
            expected *= dims[axis]
        }
        return true
    }

    /// oneDNN's name for the layout: dimensions `a b c …` from the largest stride to the smallest,
    /// uppercase when blocked, then the inner blocks (`abcd`, `acdb`, `aBcd8b`, `Abcde8a`), or
    /// `any`.
    public var layoutName: String {
        if isAny { return "any" }
        guard raw.format_kind == dnnl_blocked else { return "opaque" }
        let rank = Int(raw.ndims)
        let blocking = raw.format_desc.blocking
        let strides = dimsArray(blocking.strides, count: rank)
        let blockCount = Int(blocking.inner_nblks)
        let blockSizes = dimsArray(blocking.inner_blks, count: blockCount)
        let blockAxes = dimsArray(blocking.inner_idxs, count: blockCount)
        let letters = Array("abcdefghijkl")
        let order = (0..<rank).sorted { strides[$0] != strides[$1] ? strides[$0] > strides[$1] : $0 < $1 }
        var name = order.map { blockAxes.contains($0) ? letters[$0].uppercased() : String(letters[$0]) }.joined()
        for (size, axis) in zip(blockSizes, blockAxes) {
            name += "\(size)\(letters[axis])"
        }
        return name
    }

    /// The shape and layout, e.g. `[1, 32, 112, 112] aBcd8b`.
    public var description: String { "\(shape) \(layoutName)" }

    /// Same shape, type and physical layout (`dnnl_memory_desc_equal`).
    public static func == (lhs: MemoryDescriptor, rhs: MemoryDescriptor) -> Bool {
        withUnsafePointer(to: lhs.raw) { left in
            withUnsafePointer(to: rhs.raw) { right in dnnl_memory_desc_equal(left, right) != 0 }
        }
    }
}
