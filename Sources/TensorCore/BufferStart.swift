// The first element of a buffer that numeric kernels hand to C (oneDNN's GEMM, the LSTM's
// element loops): `baseAddress` is nil only for an empty buffer, which no kernel is given, so an
// empty one is a programmer error that traps with this message instead of a bare force unwrap.

extension UnsafeBufferPointer {
    /// `baseAddress`, which a non-empty buffer always has.
    public var start: UnsafePointer<Element> {
        guard let base = baseAddress else { preconditionFailure("UnsafeBufferPointer.start: an empty buffer") }
        return base
    }
}

extension UnsafeMutableBufferPointer {
    /// `baseAddress`, which a non-empty buffer always has.
    public var start: UnsafeMutablePointer<Element> {
        guard let base = baseAddress else { preconditionFailure("UnsafeMutableBufferPointer.start: an empty buffer") }
        return base
    }
}

extension UnsafeRawBufferPointer {
    /// `baseAddress`, which a non-empty buffer always has.
    public var start: UnsafeRawPointer {
        guard let base = baseAddress else { preconditionFailure("UnsafeRawBufferPointer.start: an empty buffer") }
        return base
    }
}

extension UnsafeMutableRawBufferPointer {
    /// `baseAddress`, which a non-empty buffer always has.
    public var start: UnsafeMutableRawPointer {
        guard let base = baseAddress else {
            preconditionFailure("UnsafeMutableRawBufferPointer.start: an empty buffer")
        }
        return base
    }
}
