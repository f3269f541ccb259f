import AWSCore
import Synchronization

/// A clock for tests: `sleep` moves its own time forward at once and records the wait, so a
/// retry, a propagation wait or a polling loop runs in microseconds and the waits can be checked.
public final class ManualClock: RunClock {
    private let state: Mutex<(now: Double, sleeps: [Double])>
    private let epoch: Int

    /// `wall` is what `wallSeconds()` says at the start (seconds since 1970).
    public init(wall: Int = 1_800_000_000) {
        epoch = wall
        state = Mutex((now: 0, sleeps: []))
    }

    public func monotonic() -> Double { state.withLock { $0.now } }

    public func wallSeconds() -> Int { epoch + Int(state.withLock { $0.now }) }

    public func sleep(_ seconds: Double) {
        state.withLock { s in
            s.sleeps.append(seconds)
            s.now += max(0, seconds)
        }
    }

    /// Moves time forward without a recorded sleep (time spent in a call).
    public func advance(_ seconds: Double) { state.withLock { $0.now += seconds } }

    /// Every wait so far, in order.
    public var sleeps: [Double] { state.withLock { $0.sleeps } }

    /// The time waited in all.
    public var slept: Double { sleeps.reduce(0, +) }
}
