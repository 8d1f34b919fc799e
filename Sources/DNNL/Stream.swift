// Owner of a oneDNN execution stream. Primitives are executed on a stream; on the CPU engine a
// stream runs them in order on the calling thread (its OpenMP team does the work), and `wait()`
// returns when all submitted work is done. A stream is not meant to be used from two threads at
// once: give each thread its own. (Foundation also has a `Stream`; write `DNNL.Stream` where both
// are imported.)
import CDNNL

/// Owner of a `dnnl_stream_t`.
public final class Stream {
    let pointer: dnnl_stream_t
    /// The engine the stream runs on, kept alive as long as the stream.
    public let engine: Engine

    /// An in-order stream on `engine`.
    public init(engine: Engine) throws {
        var stream: dnnl_stream_t?
        try check(
            dnnl_stream_create(&stream, engine.pointer, dnnl_stream_default_flags.rawValue), "dnnl_stream_create",
            "creating a stream")
        guard let stream else { preconditionFailure("dnnl_stream_create succeeded without a stream") }
        pointer = stream
        self.engine = engine
    }

    deinit {
        dnnl_stream_destroy(pointer)
    }

    /// Blocks until every primitive submitted to the stream has finished.
    public func wait() throws {
        try check(dnnl_stream_wait(pointer), "dnnl_stream_wait", "waiting for the stream")
    }
}
