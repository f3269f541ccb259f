import AWSCore
import SigV4

/// Sends signed requests: signs with SigV4, retries per the core's retry policy and quota,
/// corrects for clock skew once, and turns error answers into `AWSServiceError`s. A request that
/// is not idempotent is retried only after failures that prove it was not processed
/// (throttling, a connection never made); any other failure goes back to the caller, whose
/// at-most-once logic (`AtMostOnce`) looks at what happened before writing again.
public final class AWSClient: Sendable {
    public let core: ClientCore
    /// Nil for unsigned calls (e.g. `AssumeRoleWithWebIdentity`, SSO's bearer-token calls).
    public let keys: (any SigningKeySource)?

    public init(core: ClientCore, keys: (any SigningKeySource)?) {
        self.core = core
        self.keys = keys
    }

    /// A client on the same core signing with fixed `credentials`.
    public func signing(with credentials: SigningCredentials) -> AWSClient {
        AWSClient(core: core, keys: FixedSigningKeys(credentials))
    }

    public var retryPolicy: RetryPolicy { core.retryPolicy }
    public var clock: ClockSkew { core.clock }
    var log: DebugLog { core.log }

    /// The keys this client signs with now (nil when it does not sign).
    public func currentCredentials() throws(AWSError) -> SigningCredentials? {
        try keys?.signingCredentials()
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
        let policy = request.safety == .idempotent ? core.retryPolicy : core.retryPolicy.atMostOnce
        let limiter = core.rateLimiters?.limiter(for: service)
        var loop = core.waiter(policy).start()
        var retryCost = 0
        var correctedSkew = false
        /// Takes the retry's cost from the quota and waits, when the policy, the attempt limit
        /// and the quota all allow another attempt.
        func retryAllowed(_ decision: RetryPolicy.Decision, note: String? = nil) -> Bool {
            guard case .retry(let cost) = decision, let delay = loop.nextDelay(), core.retryQuota.acquire(cost) else { return false }
            if let note { log(note) }
            retryCost += cost
            log("\(operation): waiting \(Int(delay * 1000)) ms before attempt \(loop.attempt + 1) of \(policy.maxAttempts)")
            loop.wait(min(delay, 60))
            return true
        }
        while true {
            if let waited = limiter?.acquire(), waited > 0 {
                log("\(operation): waited \(Int(waited * 1000)) ms for the adaptive rate limiter")
            }
            let date = options.signingTime ?? core.clock.now()
            let signed = try sign(request, service: service, region: signingRegion, at: date, unsignedPayload: options.unsignedPayload).request
            log.request(signed, attempt: loop.attempt)
            let started = core.time.monotonic()
            let response: HTTPResponse
            do {
                try HeaderRules.check(signed)
                response = try core.transport.send(signed)
            } catch {
                _ = limiter?.record(throttled: false)
                log("\(operation): \(error)")
                if retryAllowed(policy.decision(for: error)) { continue }
                throw .transport(error)
            }
            log.response(response, elapsed: core.time.monotonic() - started)
            if response.isSuccess {
                _ = limiter?.record(throttled: false)
                core.retryQuota.recordSuccess(refund: retryCost)
                return response
            }
            let error = ErrorBodyParser.parse(response, operation: operation)
            _ = limiter?.record(throttled: RetryPolicy.isThrottling(error))
            if !correctedSkew, options.signingTime == nil, core.clock.learn(from: error, response: response, signedAt: date) {
                correctedSkew = true
                log("\(operation): \(error.code); clock corrected by \(core.clock.seconds) s from the server's Date header, retrying")
                continue
            }
            if retryAllowed(policy.decision(for: error), note: "\(operation): \(error.code) (HTTP \(error.httpStatus)), retrying") {
                continue
            }
            if options.returnErrorResponses { return response }
            throw .service(error)
        }
    }

    /// The request as it will be sent: `Host` and `User-Agent` set, signed when the client
    /// signs; with the signature's workings for `--dry-run`.
    public func sign(_ request: HTTPRequest, service: String, region: String, at date: SigningDate,
                     unsignedPayload: Bool = false) throws(AWSError) -> (request: HTTPRequest, signature: SigV4Signer.Signature?) {
        var headers = request.headers.filter { $0.name.lowercased() != "host" }
        headers.insert((name: "Host", value: request.url.hostHeader), at: 0)
        if request.header("user-agent") == nil { headers.append((name: "User-Agent", value: core.userAgent)) }
        var unsigned = request
        unsigned.headers = headers
        guard let credentials = try keys?.signingCredentials() else { return (unsigned, nil) }
        let signer = SigV4Signer(credentials: credentials, region: region, service: service, keyCache: core.keyCache)
        let signature = signer.sign(SignableRequest(method: request.method, path: request.url.path, query: request.url.query,
                                                    headers: headers, payload: unsignedPayload ? .unsigned : .bytes(request.body)), at: date)
        var signed = request
        signed.headers = signature.headers
        return (signed, signature)
    }
}
