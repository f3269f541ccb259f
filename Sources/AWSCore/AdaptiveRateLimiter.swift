import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adaptive retry mode's client-side rate limiter, botocore's algorithm number for number
/// (`botocore/retries/adaptive.py`, `bucket.py`, `throttling.py`): a token bucket in front of
/// every attempt, off until the first throttling answer; after that its fill rate follows a
/// CUBIC curve — cut to 0.7 × the rate measured when throttled, then growing back as
/// 0.4 × (t − K)³ + Wmax — never above twice the measured send rate, never under 0.5 a second.
/// The send rate is measured in half-second buckets, smoothed 0.8 new / 0.2 old.
///
/// `acquire()` before each attempt, `record(throttled:)` after each answer (or transport
/// failure, which counts as not throttled, as in botocore). Thread-safe: one limiter is shared
/// by every client of a run that talks to one service.
public final class AdaptiveRateLimiter: Sendable {
    /// What the limiter holds at one moment (for tests and `--debug`).
    public struct State: Sendable, Equatable {
        /// False until the first throttling answer: `acquire` does not wait before then.
        public var enabled: Bool
        /// Tokens a second (botocore's `TokenBucket.max_rate`).
        public var fillRate: Double
        public var maxCapacity: Double
        public var capacity: Double
        /// The smoothed send rate (botocore's `RateClocker.measured_rate`).
        public var measuredRate: Double
        /// The rate when last throttled (CUBIC's Wmax).
        public var lastMaxRate: Double
    }

    public static let minFillRate = 0.5
    static let beta = 0.7
    static let scaleConstant = 0.4
    static let smoothing = 0.8
    static let timeBucketRange = 0.5
    static let maxRateAdjustScale = 2.0

    private let clock: any RunClock
    /// A waiting `acquire` looks again at least this often, so that a rate raised meanwhile
    /// is used without delay (botocore wakes its waiters with a condition variable instead).
    private let longestSleep: Double
    private let machine: Mutex<Machine>

    public init(clock: any RunClock = SystemClock(), longestSleep: Double = 0.05) {
        self.clock = clock
        self.longestSleep = longestSleep
        machine = Mutex(Machine(now: clock.monotonic()))
    }

    public var state: State {
        machine.withLock { m in
            State(enabled: m.enabled, fillRate: m.fillRate, maxCapacity: m.maxCapacity, capacity: m.capacity,
                  measuredRate: m.measuredRate, lastMaxRate: m.wMax)
        }
    }

    /// Takes one token, waiting for it when the limiter is on; returns the seconds waited.
    @discardableResult
    public func acquire() -> Double {
        var started: Double?
        while true {
            let wait = machine.withLock { m -> Double in
                guard m.enabled else { return 0 }
                m.refill(at: clock.monotonic())
                if m.capacity >= 1 {
                    m.capacity -= 1
                    return 0
                }
                return (1 - m.capacity) / m.fillRate
            }
            if wait <= 0 { return started.map { clock.monotonic() - $0 } ?? 0 }
            if started == nil { started = clock.monotonic() }
            clock.sleep(min(wait, longestSleep))
        }
    }

    /// Updates the measured rate and the bucket's fill rate after an answer; returns the new fill rate.
    @discardableResult
    public func record(throttled: Bool) -> Double {
        machine.withLock { m -> Double in
            let measured = m.recordSend(at: clock.monotonic())
            let timestamp = clock.monotonic()
            let newRate: Double
            if throttled {
                let rateToUse = m.enabled ? min(measured, m.fillRate) : measured
                newRate = m.errorReceived(rate: rateToUse, at: timestamp)
                m.enabled = true
            } else {
                newRate = m.successReceived(at: timestamp)
            }
            m.setMaxRate(min(newRate, Self.maxRateAdjustScale * measured), at: clock.monotonic())
            return m.fillRate
        }
    }

    /// botocore's three objects in one value: TokenBucket, RateClocker and CubicCalculator.
    struct Machine {
        var enabled = false
        // TokenBucket (max_rate = 1 at first, as botocore's limiter builds it).
        var fillRate = 1.0
        var maxCapacity = 1.0
        var capacity = 0.0
        var lastRefill: Double
        // RateClocker.
        var measuredRate = 0.0
        var lastBucket: Double
        var count = 0.0
        // CubicCalculator (starting max rate 0).
        var wMax = 0.0
        var k = 0.0
        var lastFail: Double

        init(now: Double) {
            lastRefill = now
            lastBucket = floor(now)
            lastFail = now
        }

        mutating func refill(at now: Double) {
            capacity = min(maxCapacity, capacity + (now - lastRefill) * fillRate)
            lastRefill = now
        }

        mutating func setMaxRate(_ value: Double, at now: Double) {
            refill(at: now)
            fillRate = max(value, AdaptiveRateLimiter.minFillRate)
            maxCapacity = value >= 1 ? value : 1
            capacity = min(capacity, maxCapacity)
        }

        /// Counts one answer; returns the smoothed rate, updated once a new half-second bucket begins.
        mutating func recordSend(at t: Double) -> Double {
            let scale = 1 / AdaptiveRateLimiter.timeBucketRange
            let bucket = floor(t * scale) / scale
            count += 1
            if bucket > lastBucket {
                let current = count / (bucket - lastBucket)
                measuredRate = current * AdaptiveRateLimiter.smoothing + measuredRate * (1 - AdaptiveRateLimiter.smoothing)
                count = 0
                lastBucket = bucket
            }
            return measuredRate
        }

        func successReceived(at t: Double) -> Double {
            AdaptiveRateLimiter.scaleConstant * pow(t - lastFail - k, 3) + wMax
        }

        mutating func errorReceived(rate: Double, at t: Double) -> Double {
            wMax = rate
            k = pow(wMax * (1 - AdaptiveRateLimiter.beta) / AdaptiveRateLimiter.scaleConstant, 1.0 / 3.0)
            lastFail = t
            return rate * AdaptiveRateLimiter.beta
        }
    }
}

/// One adaptive limiter per service, shared by every client of a run (IAM's throttling says
/// nothing about SSM's limit). Clients made with `AWSClient.with` carry the same set.
public final class AdaptiveRateLimiters: Sendable {
    private let clock: any RunClock
    private let limiters = Mutex<[String: AdaptiveRateLimiter]>([:])

    public init(clock: any RunClock = SystemClock()) { self.clock = clock }

    /// The limiter for `service` (its signing name), made on first use.
    public func limiter(for service: String) -> AdaptiveRateLimiter {
        limiters.withLock { all in
            if let l = all[service] { return l }
            let l = AdaptiveRateLimiter(clock: clock)
            all[service] = l
            return l
        }
    }
}
