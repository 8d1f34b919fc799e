// A plain POSIX thread running one closure, joined by its owner. `SegmentDecoder`'s workers block
// for long stretches (decoding a GOP, waiting for the consumer); on Linux, libdispatch's global
// queues run at most about one thread per CPU for such work, so blocked workers there would hold
// back every other queue in the process (the RGB conversion of other videos, for one).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

final class WorkerThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    private var thread: pthread_t?

    /// Starts `body` on a new thread; nil when the system refuses one.
    init?(_ body: @escaping () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var created = pthread_t()
        let code = pthread_create(
            &created, nil,
            { context in
                guard let context else { return nil }
                Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
                return nil
            }, context)
        guard code == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return nil
        }
        thread = created
    }

    /// Waits for the closure to return; later calls return at once.
    func join() {
        guard let thread else { return }
        pthread_join(thread, nil)
        self.thread = nil
    }
}
