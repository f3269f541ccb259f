import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocking work that must not hold its caller longer than a deadline, whatever it waits on
/// (a connection that never answers, a slow name lookup): `body` runs on a thread of its own
/// and the caller waits at most `seconds` for it. For a process that ends soon after (shell
/// completion): work still running past the deadline is left to end with the process.
public enum BoundedWork {
    /// `body`'s result, or nil when it did not finish within `seconds` (or no thread could be made).
    public static func run<Output: Sendable>(seconds: Double, _ body: @escaping @Sendable () -> Output) -> Output? {
        let box = ResultBox<Output>(body)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(box as AnyObject).toOpaque()
        let started = pthread_create(&thread, nil, { context in
            (Unmanaged<AnyObject>.fromOpaque(context!).takeRetainedValue() as! Runnable).runBody()
            return nil
        }, context)
        guard started == 0 else {
            Unmanaged<AnyObject>.fromOpaque(context).release()
            return nil
        }
        pthread_detach(thread)
        let deadline = MonotonicClock.now() + seconds
        while MonotonicClock.now() < deadline {
            if let output = box.output { return output }
            usleep(5_000)
        }
        return box.output
    }
}

private protocol Runnable: AnyObject {
    func runBody()
}

private final class ResultBox<Output: Sendable>: Runnable, Sendable {
    let body: @Sendable () -> Output
    let result = Mutex<Output?>(nil)

    init(_ body: @escaping @Sendable () -> Output) { self.body = body }

    func runBody() {
        let output = body()
        result.withLock { $0 = output }
    }

    var output: Output? { result.withLock { $0 } }
}
