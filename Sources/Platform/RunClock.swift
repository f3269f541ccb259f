#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The time a run reads and waits on: one per run, carried by the client core and handed to
/// everything that waits (through a `Waiter`). Code that waits never sleeps by itself, so a test
/// passes a clock whose `sleep` only moves its own time forward, and a wait of minutes runs in
/// microseconds.
public protocol RunClock: Sendable {
    /// Seconds on a clock that never jumps, for deadlines and elapsed times.
    func monotonic() -> Double
    /// Seconds since 1970, for expiry times.
    func wallSeconds() -> Int
    /// Waits `seconds` (nothing for zero or less).
    func sleep(_ seconds: Double)
}

/// The system's clocks, and a real sleep (resumed after a signal, so it is never cut short).
public struct SystemClock: RunClock {
    public init() {}

    public func monotonic() -> Double { MonotonicClock.now() }

    public func wallSeconds() -> Int { WallClock.now() }

    public func sleep(_ seconds: Double) {
        guard seconds > 0, seconds.isFinite else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }
}
