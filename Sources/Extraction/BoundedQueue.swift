// A blocking FIFO with a capacity, between decoder threads (producers) and the CNN (the one
// consumer). Producers wait while it is full, which is what bounds memory however long the videos
// are; the consumer gets nil once every producer has finished and the queue is empty.
import Foundation

final class BoundedQueue<Element>: @unchecked Sendable {
    // Every field is read and written with `condition` locked.
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private let capacity: Int
    private var producers: Int

    init(capacity: Int, producers: Int) {
        precondition(capacity > 0 && producers > 0, "BoundedQueue: capacity \(capacity), producers \(producers)")
        self.capacity = capacity
        self.producers = producers
    }

    /// Appends `item`, waiting while the queue is full.
    func push(_ item: Element) {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity { condition.wait() }
        items.append(item)
        condition.broadcast()
    }

    /// Items waiting now.
    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return items.count - head
    }

    /// One producer is done; the last one wakes the consumer for the end.
    func producerFinished() {
        condition.lock()
        producers -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// The oldest item, waiting while the queue is empty; nil when all producers are done.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.count == head && producers > 0 { condition.wait() }
        guard items.count > head else { return nil }
        let item = items[head]
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }
}
