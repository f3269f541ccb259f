import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The AWS SDKs' retry behaviour: which failures are retried, how long to wait, and a shared
/// quota that stops retry storms. `standard` mode; `legacy` only changes the default attempts;
/// `adaptive` is standard plus a client-side rate limiter (`AdaptiveRateLimiter`, used by `AWSClient`).
public struct RetryPolicy: Sendable {
    public enum Mode: String, Sendable { case standard, legacy, adaptive }

    public var mode: Mode
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The longest wait between attempts, in seconds.
    public var maxBackoff: Double
    /// Scales every wait; 1 in production, smaller in tests.
    public var backoffScale: Double

    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "EC2ThrottledException",
    ]
    public static let transientCodes: Set<String> = ["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError", "InternalFailure", "ServiceUnavailable"]
    public static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    /// False for writes the API cannot make idempotent (SSM PutParameter has no request token):
    /// only failures that prove the request was not processed are retried (throttling, a
    /// connection never made); a 5xx, a timeout or a reset after sending is left to the caller,
    /// who can look at what happened before writing again.
    public var retriesAmbiguousFailures = true

    /// The same policy, retrying only failures that prove nothing was processed.
    public var atMostOnce: RetryPolicy {
        var p = self
        p.retriesAmbiguousFailures = false
        return p
    }

    public init(mode: Mode = .standard, maxAttempts: Int? = nil, maxBackoff: Double = 20, backoffScale: Double = 1) {
        self.mode = mode
        self.maxAttempts = max(1, maxAttempts ?? (mode == .legacy ? 5 : 3))
        self.maxBackoff = maxBackoff
        self.backoffScale = backoffScale
    }

    /// From `AWS_RETRY_MODE` and `AWS_MAX_ATTEMPTS` (or the profile's `retry_mode` and `max_attempts`).
    public static func resolve(mode: String?, maxAttempts: String?) throws(ConfigurationError) -> RetryPolicy {
        var parsedMode = Mode.standard
        if let mode {
            guard let m = Mode(rawValue: mode.lowercased()) else {
                throw ConfigurationError("retry mode '\(mode)' is not one of standard, legacy, adaptive")
            }
            parsedMode = m
        }
        var attempts: Int?
        if let maxAttempts {
            guard let n = Int(maxAttempts), n >= 1 else {
                throw ConfigurationError("max attempts '\(maxAttempts)' must be a whole number of at least 1")
            }
            attempts = n
        }
        return RetryPolicy(mode: parsedMode, maxAttempts: attempts)
    }

    public enum Decision: Equatable, Sendable {
        case doNotRetry
        case retry(cost: Int)
    }

    /// Whether adaptive mode's rate limiter counts `error` as throttling: botocore's list
    /// (`ThrottledRetryableChecker`), which also names `PriorRequestNotComplete`.
    public static func isThrottling(_ error: AWSServiceError) -> Bool {
        throttlingCodes.contains(error.code) || error.code == "PriorRequestNotComplete"
    }

    public static let retryCost = 5
    public static let timeoutRetryCost = 10

    public func decision(for error: AWSServiceError) -> Decision {
        if !retriesAmbiguousFailures {
            return Self.throttlingCodes.contains(error.code) || error.httpStatus == 429 ? .retry(cost: Self.retryCost) : .doNotRetry
        }
        if Self.throttlingCodes.contains(error.code) || Self.transientCodes.contains(error.code)
            || Self.transientStatuses.contains(error.httpStatus) || error.httpStatus == 429 {
            return .retry(cost: Self.retryCost)
        }
        return .doNotRetry
    }

    /// Whether this policy would retry `error` (a service answer or a transport failure).
    public func retries(_ error: AWSError) -> Bool {
        switch error {
        case .service(let e): return decision(for: e) != .doNotRetry
        case .transport(let t): return decision(for: t) != .doNotRetry
        default: return false
        }
    }

    public func decision(for error: TransportError) -> Decision {
        if !retriesAmbiguousFailures, error.connected { return .doNotRetry }
        switch error.kind {
        case .timeout: return .retry(cost: Self.timeoutRetryCost)
        case .connectionFailed, .connectionReset, .truncated, .dnsFailure: return .retry(cost: Self.retryCost)
        case .tlsFailure, .proxyFailure, .invalidRequest, .responseTooLarge, .other: return .doNotRetry
        }
    }

    /// The wait before retry number `retry` (1 for the first retry): random(0,1) × min(2^(retry−1), max).
    public func delay(beforeRetry retry: Int) -> Double {
        let cap = min(pow(2, Double(retry - 1)), maxBackoff)
        return Double.random(in: 0...1) * cap * backoffScale
    }

    /// `delay(beforeRetry:)` as a `Waiter`'s backoff.
    public var backoff: Backoff {
        let policy = self
        return Backoff { policy.delay(beforeRetry: $0) }
    }
}

/// The shared retry budget of standard mode: 500 tokens; a retry takes 5 (10 after a timeout);
/// a success gives back what its retries took, or 1 when it needed none.
public final class RetryQuota: Sendable {
    public static let capacity = 500
    private let available = Mutex<Int>(RetryQuota.capacity)

    public init() {}

    public var tokens: Int { available.withLock { $0 } }

    /// Takes `cost` tokens; false (and nothing taken) when the quota is spent.
    public func acquire(_ cost: Int) -> Bool {
        available.withLock { tokens in
            guard tokens >= cost else { return false }
            tokens -= cost
            return true
        }
    }

    public func recordSuccess(refund: Int) {
        available.withLock { $0 = min(Self.capacity, $0 + (refund > 0 ? refund : 1)) }
    }
}
