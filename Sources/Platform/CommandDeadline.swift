/// When a child that has run too long is ended: at `timeout` seconds after its start its
/// process group gets SIGTERM, and `grace` seconds later SIGKILL. Pure arithmetic on the times
/// it is given (from `MonotonicClock` in use, from a script in tests), so the rule is tested
/// without waiting.
public struct CommandDeadline: Sendable, Equatable {
    public let started: Double
    public let timeout: Double
    public let grace: Double

    public init(started: Double, timeout: Double, grace: Double = 2) {
        self.started = started
        self.timeout = timeout
        self.grace = grace
    }

    public enum Action: Sendable, Equatable {
        /// Nothing yet; look again within this many seconds.
        case wait(Double)
        /// The time limit has passed: ask the process group to end.
        case terminate
        /// It did not end within the grace period: kill the process group.
        case kill
    }

    /// What to do at `now`, given whether SIGTERM was sent already. `tick` is the longest wait
    /// between two looks (the child's exit is also looked for at each).
    public func action(at now: Double, terminated: Bool, tick: Double = 0.05) -> Action {
        let elapsed = now - started
        if !terminated {
            if elapsed >= timeout { return .terminate }
            return .wait(min(tick, timeout - elapsed))
        }
        if elapsed >= timeout + grace { return .kill }
        return .wait(min(tick, timeout + grace - elapsed))
    }
}
