import AWSCore
import SigV4

/// What every service client of one run shares: the transport (and so its kept-alive
/// connections), the retry policy and its quota, the clock-skew correction, the signing-key
/// cache, the debug log and the user agent. A session makes one; each client signs with its own
/// keys on top of it, so the retry budget and a learnt clock offset hold for the whole command.
public final class ClientCore: Sendable {
    public let transport: any HTTPTransport
    public let retryPolicy: RetryPolicy
    public let retryQuota: RetryQuota
    public let clock: ClockSkew
    /// Adaptive retry mode's client-side rate limiters (one per service), shared by every client
    /// of the run so that a fan-out settles at the service's limit; nil in the other modes.
    public let rateLimiters: AdaptiveRateLimiters?
    public let log: DebugLog
    public let userAgent: String
    let keyCache = SigningKeyCache()

    public init(transport: any HTTPTransport, retryPolicy: RetryPolicy = RetryPolicy(), retryQuota: RetryQuota = RetryQuota(),
                clock: ClockSkew = ClockSkew(), rateLimiters: AdaptiveRateLimiters? = nil, log: DebugLog = .off,
                userAgent: String = "credctl") {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.retryQuota = retryQuota
        self.clock = clock
        self.rateLimiters = rateLimiters ?? (retryPolicy.mode == .adaptive ? AdaptiveRateLimiters() : nil)
        self.log = log
        self.userAgent = userAgent
    }
}
