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
    /// AWS's 2026 retry behaviour (`AWS_NEW_RETRIES_2026=true`, as botocore 1.43 and AWS CLI
    /// 2.34.57 read it): waits from a 50 ms base for transient errors (25 ms for DynamoDB) and
    /// 1 s for throttling, `x-amz-retry-after` honoured within 5 s of the computed wait, quota
    /// costs of 14 (5 for throttling, timeouts included in the 14), 4 attempts for DynamoDB.
    public var newRetries2026 = false
    /// The attempts set by `AWS_MAX_ATTEMPTS`/`max_attempts`, nil when left to the default.
    public var configuredMaxAttempts: Int?

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
        self.configuredMaxAttempts = maxAttempts
        self.maxBackoff = maxBackoff
        self.backoffScale = backoffScale
    }

    /// Attempts for a service (its signing name): with the 2026 behaviour and no configured
    /// number, DynamoDB gets 4 in standard and adaptive mode (botocore's `_SERVICE_MAX_ATTEMPTS`).
    public func maxAttempts(forService service: String) -> Int {
        guard newRetries2026, configuredMaxAttempts == nil, mode != .legacy, service == "dynamodb" else { return maxAttempts }
        return 4
    }

    /// From `AWS_RETRY_MODE` and `AWS_MAX_ATTEMPTS` (or the profile's `retry_mode` and `max_attempts`).
    public static func resolve(mode: String?, maxAttempts: String?, newRetries2026: Bool = false) throws(ConfigurationError) -> RetryPolicy {
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
        var policy = RetryPolicy(mode: parsedMode, maxAttempts: attempts)
        policy.newRetries2026 = newRetries2026
        return policy
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
    /// The 2026 behaviour's cost of a retry after anything but throttling.
    public static let retryCost2026 = 14

    /// What a retry takes from the quota: 5 (10 after a timeout); with the 2026 behaviour 5
    /// after throttling and 14 after anything else.
    func cost(throttling: Bool, timeout: Bool = false) -> Int {
        if newRetries2026 { return throttling ? Self.retryCost : Self.retryCost2026 }
        return timeout ? Self.timeoutRetryCost : Self.retryCost
    }

    public func decision(for error: AWSServiceError) -> Decision {
        let cost = cost(throttling: Self.isThrottling(error))
        if !retriesAmbiguousFailures {
            return Self.throttlingCodes.contains(error.code) || error.httpStatus == 429 ? .retry(cost: cost) : .doNotRetry
        }
        if Self.throttlingCodes.contains(error.code) || Self.transientCodes.contains(error.code)
            || Self.transientStatuses.contains(error.httpStatus) || error.httpStatus == 429 {
            return .retry(cost: cost)
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
        case .timeout: return .retry(cost: cost(throttling: false, timeout: true))
        case .connectionFailed, .connectionReset, .truncated, .dnsFailure: return .retry(cost: cost(throttling: false))
        case .tlsFailure, .proxyFailure, .invalidRequest, .responseTooLarge, .other: return .doNotRetry
        }
    }

    /// The wait before retry number `retry` (1 for the first retry): random(0,1) × min(2^(retry−1), max).
    /// With the 2026 behaviour (botocore's `ExponentialBackoff.delay_amount`):
    /// t = random × min(base × 2^(retry−1), max), base 1 s after throttling, else 0.05 s (0.025 s
    /// for DynamoDB); an `x-amz-retry-after` of N ms (a whole number, not negative; anything else
    /// ignored) makes it max(t, min(N/1000, t + 5)).
    public func delay(beforeRetry retry: Int, service: String = "", throttling: Bool = false, retryAfter: String? = nil,
                      random: Double = Double.random(in: 0..<1)) -> Double {
        guard newRetries2026 else { return random * min(pow(2, Double(retry - 1)), maxBackoff) * backoffScale }
        let base = throttling ? 1 : (service == "dynamodb" ? 0.025 : 0.05)
        var t = random * min(base * pow(2, Double(retry - 1)), maxBackoff)
        if let hint = retryAfter.flatMap(Self.retryAfterSeconds) { t = max(t, min(hint, Self.retryAfterMaxAdditional + t)) }
        return t * backoffScale
    }

    /// How far past the computed wait `x-amz-retry-after` may push it (botocore's `_RETRY_AFTER_MAX_ADDITIONAL`).
    static let retryAfterMaxAdditional = 5.0

    /// `x-amz-retry-after` in seconds, read as Python's `int()` reads it (surrounding white
    /// space and a sign allowed, digits only); nil for anything else or a negative value.
    static func retryAfterSeconds(_ text: String) -> Double? {
        var s = Substring(text)
        while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}" { s = s.dropLast() }
        var negative = false
        if let sign = s.first, sign == "+" || sign == "-" { negative = sign == "-"; s = s.dropFirst() }
        // Python also takes `_` between digits ("1_000").
        let digits = s.split(separator: "_", omittingEmptySubsequences: false)
        guard !s.isEmpty, digits.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let value = Double(digits.joined()) else { return nil }
        if negative && value != 0 { return nil }
        return value / 1000
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
