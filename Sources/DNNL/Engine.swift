// Owner of a oneDNN CPU engine: the device every memory object and primitive is created for.
// One engine per process is enough; it is cheap to hold and must outlive everything made with
// it, which each owner guarantees by keeping a strong reference to its engine.
import CDNNL

/// Owner of a `dnnl_engine_t` for the CPU.
public final class Engine {
    let pointer: dnnl_engine_t

    /// The CPU engine (index 0; oneDNN has exactly one CPU engine).
    public init() throws {
        var engine: dnnl_engine_t?
        try check(dnnl_engine_create(&engine, dnnl_cpu, 0), "dnnl_engine_create", "creating the CPU engine")
        guard let engine else { preconditionFailure("dnnl_engine_create succeeded without an engine") }
        pointer = engine
    }

    deinit {
        dnnl_engine_destroy(pointer)
    }
}
