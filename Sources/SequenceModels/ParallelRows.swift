// Row-parallel loops for the elementwise parts of a training step (LSTM cells, softmax
// cross-entropy, Adam with one value per row): the rows are split into contiguous chunks, one per available core, when there is
// enough work to pay for the dispatch. Every caller writes disjoint memory per row, so the result
// does not depend on the split and stays bit-identical to the serial loop.

import Foundation

enum ParallelRows {
    /// Work (values touched) below which the loop stays on the calling thread.
    static let minimumWork = 1 << 14

    /// Cores available to the process, read once: Foundation's `activeProcessorCount` reads the
    /// cgroup files (four system calls, 50-100 µs) on every call, and a training step makes dozens.
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// Calls `body` with consecutive ranges covering `0..<rows`, on several threads when
    /// `rows * valuesPerRow` reaches `minimumWork` (a cheaper loop per value passes a larger one:
    /// handing chunks to a second core costs about 50 µs here). `body` must write only what its
    /// rows own.
    static func forEach(
        _ rows: Int, valuesPerRow: Int, minimumWork: Int = Self.minimumWork, _ body: (Range<Int>) -> Void
    ) {
        let chunks = rows * valuesPerRow >= minimumWork ? min(cores, rows) : 1
        guard chunks > 1 else {
            body(0..<rows)
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                shared.value((chunk * rows / chunks)..<((chunk + 1) * rows / chunks))
            }
        }
    }
}

/// A value handed to the threads of `ParallelRows.forEach`, whose chunks touch disjoint memory.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
