import AWSCore
import SigV4

/// What every service client of one run shares: the transport (and so its kept-alive
/// connections), the retry policy and its quota, the clock-skew correction, the signing-key
/// cache, the debug log, the user agent, and the run's clock (`time`: every wait of the run is on it). A session makes one; each client signs with its own
/// keys on top of it, so the retry budget and a learnt clock offset hold for the whole command.
public final class ClientCore: Sendable {
    public let transport: any HTTPTransport
    public let retryPolicy: RetryPolicy
    public let retryQuota: RetryQuota
    public let clock: ClockSkew
    /// The clock every wait of the run reads and sleeps on (retries, at-most-once checks,
    /// polling); tests pass one whose sleep only moves its own time.
    public let time: any RunClock
    /// Adaptive retry mode's client-side rate limiters (one per service), shared by every client
    /// of the run so that a fan-out settles at the service's limit; nil in the other modes.
    public let rateLimiters: AdaptiveRateLimiters?
    public let log: DebugLog
    public let userAgent: String
    let keyCache = SigningKeyCache()

    public init(transport: any HTTPTransport, retryPolicy: RetryPolicy = RetryPolicy(), retryQuota: RetryQuota = RetryQuota(),
                clock: ClockSkew = ClockSkew(), rateLimiters: AdaptiveRateLimiters? = nil, log: DebugLog = .off,
                userAgent: String = "credctl", time: any RunClock = SystemClock()) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.retryQuota = retryQuota
        self.clock = clock
        self.time = time
        self.rateLimiters = rateLimiters ?? (retryPolicy.mode == .adaptive ? AdaptiveRateLimiters(clock: time) : nil)
        self.log = log
        self.userAgent = userAgent
    }
}

extension ClientCore {
    /// The waits of `policy` on the run's clock: its backoff, its attempts.
    public func waiter(_ policy: RetryPolicy) -> Waiter {
        Waiter(backoff: policy.backoff, maxAttempts: policy.maxAttempts, clock: time)
    }
}
