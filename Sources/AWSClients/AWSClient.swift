import AWSCore
import SigV4
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends signed requests: signs with SigV4, retries per the retry policy and quota, corrects
/// for clock skew once, and turns error answers into `AWSServiceError`s. One per process.
public final class AWSClient: Sendable {
    public let transport: HTTPTransport
    /// Nil for unsigned calls (e.g. `AssumeRoleWithWebIdentity`).
    public let credentials: SigningCredentials?
    public let retryPolicy: RetryPolicy
    public let retryQuota: RetryQuota
    public let clock: ClockSkew
    /// Adaptive retry mode's client-side rate limiters (one per service), shared with every
    /// client `with` makes; nil in the other modes.
    public let rateLimiters: AdaptiveRateLimiters?
    public let log: DebugLog
    public let userAgent: String
    private let keyCache = SigningKeyCache()

    public init(transport: HTTPTransport, credentials: SigningCredentials?, retryPolicy: RetryPolicy = RetryPolicy(),
                retryQuota: RetryQuota = RetryQuota(), clock: ClockSkew = ClockSkew(), rateLimiters: AdaptiveRateLimiters? = nil,
                log: DebugLog = .off, userAgent: String = "credctl") {
        self.transport = transport
        self.credentials = credentials
        self.retryPolicy = retryPolicy
        self.retryQuota = retryQuota
        self.clock = clock
        self.rateLimiters = rateLimiters ?? (retryPolicy.mode == .adaptive ? AdaptiveRateLimiters() : nil)
        self.log = log
        self.userAgent = userAgent
    }

    /// A client sharing this one's transport, retry quota, clock, rate limiters and log that signs with
    /// `credentials` and retries as `retryPolicy` says (each kept when nil).
    public func with(credentials: SigningCredentials? = nil, retryPolicy: RetryPolicy? = nil) -> AWSClient {
        AWSClient(transport: transport, credentials: credentials ?? self.credentials, retryPolicy: retryPolicy ?? self.retryPolicy,
                  retryQuota: retryQuota, clock: clock, rateLimiters: rateLimiters, log: log, userAgent: userAgent)
    }

    /// How one call deviates from the usual.
    public struct SendOptions: Sendable {
        /// Sign at this time rather than now (reproducible signatures); no skew correction then.
        public var signingTime: SigningDate?
        /// Sign `UNSIGNED-PAYLOAD` instead of the body's hash.
        public var unsignedPayload: Bool
        /// Return an error answer (after retries) instead of throwing it.
        public var returnErrorResponses: Bool

        public init(signingTime: SigningDate? = nil, unsignedPayload: Bool = false, returnErrorResponses: Bool = false) {
            self.signingTime = signingTime
            self.unsignedPayload = unsignedPayload
            self.returnErrorResponses = returnErrorResponses
        }
    }

    /// Sends `request` (its `Host` header is set from the URL), signed for `service` in
    /// `signingRegion`, and returns the 2xx response.
    public func send(_ request: HTTPRequest, service: String, signingRegion: String, operation: String,
                     options: SendOptions = SendOptions()) throws(AWSError) -> HTTPResponse {
        var attempt = 1
        var retryCost = 0
        var correctedSkew = false
        let limiter = rateLimiters?.limiter(for: service)
        /// Takes the retry's cost from the quota and waits, when the policy, the attempt limit
        /// and the quota all allow another attempt.
        func retryAllowed(_ decision: RetryPolicy.Decision, note: String? = nil) -> Bool {
            guard case .retry(let cost) = decision, attempt < retryPolicy.maxAttempts, retryQuota.acquire(cost) else { return false }
            if let note { log(note) }
            retryCost += cost
            wait(beforeRetry: attempt, operation: operation)
            attempt += 1
            return true
        }
        while true {
            if let waited = limiter?.acquire(), waited > 0 {
                log("\(operation): waited \(Int(waited * 1000)) ms for the adaptive rate limiter")
            }
            let date = options.signingTime ?? clock.now()
            let signed = sign(request, service: service, region: signingRegion, at: date, unsignedPayload: options.unsignedPayload).request
            log.request(signed, attempt: attempt)
            let started = MonotonicClock.now()
            let response: HTTPResponse
            do {
                response = try transport.send(signed)
            } catch {
                limiter?.record(throttled: false)
                log("\(operation): \(error)")
                if retryAllowed(retryPolicy.decision(for: error)) { continue }
                throw .transport(error)
            }
            log.response(response, elapsed: MonotonicClock.now() - started)
            if response.isSuccess {
                limiter?.record(throttled: false)
                retryQuota.recordSuccess(refund: retryCost)
                return response
            }
            let error = ErrorBodyParser.parse(response, operation: operation)
            limiter?.record(throttled: RetryPolicy.isThrottling(error))
            if !correctedSkew, options.signingTime == nil, clock.learn(from: error, response: response, signedAt: date) {
                correctedSkew = true
                log("\(operation): \(error.code); clock corrected by \(clock.seconds) s from the server's Date header, retrying")
                continue
            }
            if retryAllowed(retryPolicy.decision(for: error), note: "\(operation): \(error.code) (HTTP \(error.httpStatus)), retrying") {
                continue
            }
            if options.returnErrorResponses { return response }
            throw .service(error)
        }
    }

    /// The request as it will be sent: `Host` and `User-Agent` set, signed when there are
    /// credentials; with the signature's workings for `--dry-run`.
    public func sign(_ request: HTTPRequest, service: String, region: String, at date: SigningDate,
                     unsignedPayload: Bool = false) -> (request: HTTPRequest, signature: SigV4Signer.Signature?) {
        var headers = request.headers.filter { $0.name.lowercased() != "host" }
        headers.insert((name: "Host", value: request.url.hostHeader), at: 0)
        if request.header("user-agent") == nil { headers.append((name: "User-Agent", value: userAgent)) }
        guard let credentials else { return (HTTPRequest(method: request.method, url: request.url, headers: headers, body: request.body), nil) }
        let signer = SigV4Signer(credentials: credentials, region: region, service: service, keyCache: keyCache)
        let signature = signer.sign(SignableRequest(method: request.method, path: request.url.path, query: request.url.query,
                                                    headers: headers, payload: unsignedPayload ? .unsigned : .bytes(request.body)), at: date)
        return (HTTPRequest(method: request.method, url: request.url, headers: signature.headers, body: request.body), signature)
    }

    private func wait(beforeRetry retry: Int, operation: String) {
        let seconds = retryPolicy.delay(beforeRetry: retry)
        log("\(operation): waiting \(Int(seconds * 1000)) ms before attempt \(retry + 1) of \(retryPolicy.maxAttempts)")
        if seconds > 0 { usleep(useconds_t(seconds * 1_000_000)) }
    }
}
