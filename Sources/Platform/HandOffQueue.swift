#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work handed from producer threads to consumer threads. `take` blocks (on a condition
/// variable, never polling) until an item comes, or returns nil once every producer has finished
/// and the queue is empty, or after `stop()`.
public final class HandOffQueue<Item: Sendable>: @unchecked Sendable {
    // The lock and condition live at fixed addresses, as pthreads requires; every field below
    // them is read and written only with the lock held.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var items: [Item] = []
    private var producers: Int
    private var stopped = false

    /// `producers`: how many `producerFinished()` calls end the work.
    public init(producers: Int) {
        self.producers = producers
        pthread_mutex_init(lock, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(lock)
        lock.deallocate()
        changed.deallocate()
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return body()
    }

    /// Adds items, and wakes the consumers.
    public func put(_ new: [Item]) {
        guard !new.isEmpty else { return }
        locked {
            items += new
            pthread_cond_broadcast(changed)
        }
    }

    /// One producer is done; when the last is, waiting consumers get nil once the queue is empty.
    public func producerFinished() {
        locked {
            producers -= 1
            pthread_cond_broadcast(changed)
        }
    }

    /// No more work: every `take` returns nil from now on, items left or not.
    public func stop() {
        locked {
            stopped = true
            pthread_cond_broadcast(changed)
        }
    }

    /// The next item; nil when stopped, or when every producer finished and nothing is left.
    public func take() -> Item? {
        locked {
            while !stopped, items.isEmpty, producers > 0 { pthread_cond_wait(changed, lock) }
            if stopped || items.isEmpty { return nil }
            return items.removeFirst()
        }
    }
}
