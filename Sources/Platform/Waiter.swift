/// The one way credctl waits for something: try, and while the answer says "not yet", wait the
/// backoff's delay and try again, until the attempts or the deadline run out. Every loop that
/// waits (the send loop's retries, at-most-once checks, IAM propagation, credential-report
/// polling, SSO device polling) is a `Waiter` on the run's clock; none sleeps by itself.
///
/// Two ways to use it: `run(_:retrying:)` for a call repeated while an error says "not yet", or
/// `start()` for a loop that decides itself, between attempts, whether to go on
/// (`Waiter.Loop.nextDelay()`, then `wait(_:)`).
public struct Waiter: Sendable {
    public var backoff: Backoff
    /// Attempts in all, the first included; nil for no limit but the deadline.
    public var maxAttempts: Int?
    /// Seconds from the start after which no attempt begins (an attempt begins only when the
    /// wait before it ends by then); nil for no deadline.
    public var timeout: Double?
    public var clock: any RunClock

    public init(backoff: Backoff, maxAttempts: Int? = nil, timeout: Double? = nil, clock: any RunClock = SystemClock()) {
        self.backoff = backoff
        self.maxAttempts = maxAttempts
        self.timeout = timeout
        self.clock = clock
    }

    /// One wait in progress: the attempt number, the time spent, the next delay.
    public struct Loop: Sendable {
        public let waiter: Waiter
        let started: Double
        /// The attempt being made (1 for the first).
        public private(set) var attempt = 1

        init(_ waiter: Waiter) {
            self.waiter = waiter
            started = waiter.clock.monotonic()
        }

        /// Seconds since the loop started.
        public var elapsed: Double { waiter.clock.monotonic() - started }

        /// The wait before the next attempt, or nil when the attempts or the deadline forbid one.
        /// `delay` replaces the backoff's (e.g. a polling interval the server set).
        public func nextDelay(_ delay: Double? = nil) -> Double? {
            if let maxAttempts = waiter.maxAttempts, attempt >= maxAttempts { return nil }
            let d = max(0, delay ?? waiter.backoff.delay(beforeRetry: attempt))
            if let timeout = waiter.timeout, elapsed + d > timeout { return nil }
            return d
        }

        /// Waits `delay` (from `nextDelay`) and moves to the next attempt.
        public mutating func wait(_ delay: Double) {
            waiter.clock.sleep(delay)
            attempt += 1
        }

        /// Waits before the next attempt when one is allowed; false (and no wait) when not.
        public mutating func pause(_ delay: Double? = nil) -> Bool {
            guard let d = nextDelay(delay) else { return false }
            wait(d)
            return true
        }
    }

    public func start() -> Loop { Loop(self) }

    /// `call`, repeated while `notYet` says its error means "not yet" and the waiter allows
    /// another attempt; `beforeWait` is told each refusal that will be retried, with the loop
    /// (attempt, elapsed) and the wait about to begin. Otherwise the error is thrown.
    public func run<T, E: Error>(_ call: () throws(E) -> T, retrying notYet: (E) -> Bool,
                                 beforeWait: (E, Loop, Double) -> Void = { _, _, _ in }) throws(E) -> T {
        var loop = start()
        while true {
            do {
                return try call()
            } catch {
                guard notYet(error), let delay = loop.nextDelay() else { throw error }
                beforeWait(error, loop, delay)
                loop.wait(delay)
            }
        }
    }
}
