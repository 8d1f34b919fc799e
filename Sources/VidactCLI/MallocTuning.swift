// Keeps glibc's malloc from returning large blocks to the kernel after every use. By default a
// block above the (adaptive) mmap threshold is mmap'ed and unmapped on free, and the heap top is
// trimmed past 128 KiB, so a training step that allocates the same 10–40 MB tensors every step
// (logits, gate caches, gradients of the inputs) page-faults them in and the kernel zeroes them
// again: 8 % of a caption training step's CPU (`perf`: clear_page, exc_page_fault). With blocks
// under 32 MiB taken from the heap and up to 128 MiB of free heap kept, the step of
// `scripts/bench/caption` went from 347–352 to 333–336 ms. Memory stays bounded: at most 128 MiB
// more than the peak stays mapped.

#if canImport(Glibc)
    import Glibc
#endif

enum MallocTuning {
    static let mmapThreshold: Int32 = 32 << 20
    static let trimThreshold: Int32 = 128 << 20
    // <malloc.h>'s parameter numbers, which the Glibc module does not import.
    static let (mmapThresholdParameter, trimThresholdParameter): (Int32, Int32) = (-3, -1)

    /// Sets the thresholds; called once at start-up, before any large allocation.
    static func apply() {
        #if canImport(Glibc)
            // `mallopt` is looked up rather than declared: <malloc.h> is not in the Glibc module. If it
            // is missing or fails (returns 0), the defaults stay, which is slower, not wrong.
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            _ = mallopt(mmapThresholdParameter, mmapThreshold)
            _ = mallopt(trimThresholdParameter, trimThreshold)
        #endif
    }
}
