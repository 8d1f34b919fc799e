// The queue between decoders and the CNN: FIFO per producer, producers block at capacity (what
// bounds memory), and the consumer sees the end only after every producer finished.
import Foundation
import Testing

@testable import Extraction

struct BoundedQueueTests {
    @Test func producersBlockAtCapacityAndTheEndComesAfterAllProducers() throws {
        let queue = BoundedQueue<Int>(capacity: 3, producers: 2)
        let maxSeen = MaxCounter()
        let group = DispatchGroup()
        for producer in 0..<2 {
            group.enter()
            Thread {
                for value in 0..<50 { queue.push(producer * 1000 + value) }
                queue.producerFinished()
                group.leave()
            }.start()
        }
        var received: [Int] = []
        while let value = queue.pop() {
            received.append(value)
            maxSeen.observe(queue)
            usleep(100)
        }
        group.wait()
        #expect(received.count == 100)
        // Each producer's items arrive in order.
        #expect(received.filter { $0 < 1000 } == Array(0..<50))
        #expect(received.filter { $0 >= 1000 } == Array(1000..<1050))
        #expect(maxSeen.value <= 3)
    }
}

/// Largest queue length observed (through the test-only `count`).
final class MaxCounter: @unchecked Sendable {
    var value = 0
    func observe(_ queue: BoundedQueue<Int>) { value = max(value, queue.count) }
}
