import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs blocking work (libcurl calls) on several threads at once. Swift's cooperative pool has
/// one thread per core, which would serialise blocking calls on a small machine, so this uses
/// its own threads: `width - 1` new ones plus the caller's.
public enum ConcurrentWork {
    /// `body` applied to every item, at most `width` at a time; results in the items' order.
    public static func map<Item: Sendable, Output: Sendable>(
        _ items: [Item], width: Int, _ body: @escaping @Sendable (Item) -> Output
    ) -> [Output] {
        let threadCount = min(max(width, 1), items.count)
        if threadCount <= 1 { return items.map(body) }
        let queue = WorkQueue(items: items, body: body)
        var threads: [pthread_t] = []
        for _ in 1..<threadCount {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(queue as AnyObject).toOpaque()
            let started = pthread_create(&thread, nil, { context in
                let queue = Unmanaged<AnyObject>.fromOpaque(context!).takeRetainedValue() as! Drainable
                queue.drain()
                return nil
            }, context)
            if started == 0 {
                threads.append(thread)
            } else {
                Unmanaged<AnyObject>.fromOpaque(context).release()
            }
        }
        queue.drain()
        for thread in threads { pthread_join(thread, nil) }
        return queue.results()
    }
}

private protocol Drainable: AnyObject {
    func drain()
}

/// The items not yet taken and the results so far, shared by the threads.
private final class WorkQueue<Item: Sendable, Output: Sendable>: Drainable, Sendable {
    let items: [Item]
    let body: @Sendable (Item) -> Output
    let next = Mutex(0)
    let outputs: Mutex<[Output?]>

    init(items: [Item], body: @escaping @Sendable (Item) -> Output) {
        self.items = items
        self.body = body
        outputs = Mutex([Output?](repeating: nil, count: items.count))
    }

    func drain() {
        while true {
            let index = next.withLock { n -> Int in
                defer { n += 1 }
                return n
            }
            guard index < items.count else { return }
            let output = body(items[index])
            outputs.withLock { $0[index] = output }
        }
    }

    func results() -> [Output] {
        outputs.withLock { $0.map { $0! } }
    }
}
