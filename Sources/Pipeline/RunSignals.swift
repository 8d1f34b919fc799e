// SIGINT and SIGTERM during `vidact run`: the run is recorded as interrupted in the catalog and the
// process exits at once with 130 or 143. Nothing is left half-written: every output goes through
// a temporary file and a rename (an interrupted write leaves only a temporary file, swept by the
// next run) and every catalog write is one transaction.
import Catalog
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

final class RunSignals {
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "vidact.run-signals")

    init(catalog: Catalog, runID: String, log: RunLog) {
        for (number, name, status) in [(SIGINT, "SIGINT", Int32(130)), (SIGTERM, "SIGTERM", Int32(143))] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                _ = try? catalog.finishRun(runID, status: .interrupted)
                log.event("interrupted", ["signal": name, "run": runID])
                exit(status)
            }
            source.resume()
            sources.append(source)
        }
    }

    func stop() {
        for source in sources { source.cancel() }
        sources.removeAll()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
