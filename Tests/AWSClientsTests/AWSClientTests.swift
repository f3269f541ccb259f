@testable import AWSClients
import AWSCore
import SigV4
import Testing
import TransportTesting

/// `AWSClient.send` on a scripted transport: which failures are retried and how often, the
/// retry quota and the clock correction shared through the core, at-most-once sending of
/// requests that are not idempotent, the keys it signs with, and headers refused before sending.
struct AWSClientRetryTests {
    func send(_ client: AWSClient, _ request: HTTPRequest = Fixture.request()) throws(AWSError) -> HTTPResponse {
        try client.send(request, service: "sts", signingRegion: "us-east-1", operation: "sts:GetCallerIdentity")
    }

    @Test(arguments: [("500", Fixture.internalError), ("throttling", Fixture.throttled), ("reset", ScriptedAnswer.reset),
                      ("timeout", ScriptedAnswer.timeout), ("refused", ScriptedAnswer.refused),
                      ("503", ScriptedAnswer.status(503, "")), ("429", ScriptedAnswer.status(429, ""))])
    func idempotentCallsAreRetriedUntilTheyWork(_ name: String, _ failure: ScriptedAnswer) throws {
        let transport = ScriptedTransport([failure, failure, Fixture.ok])
        let response = try send(Fixture.client(transport))
        #expect(response.status == 200, "\(name)")
        #expect(transport.requests.count == 3, "\(name)")
        #expect(transport.requests.allSatisfy { $0.safety == .idempotent })
    }

    @Test func retriesStopAtMaxAttemptsWithTheLastError() {
        let transport = ScriptedTransport(Array(repeating: Fixture.internalError, count: 10))
        let error = thrown { () throws(AWSError) in try send(Fixture.client(transport, maxAttempts: 4)) }
        #expect(error?.serviceCode == "InternalFailure")
        #expect(transport.requests.count == 4)

        let resets = ScriptedTransport(Array(repeating: ScriptedAnswer.reset, count: 10))
        #expect(thrown { () throws(AWSError) in try send(Fixture.client(resets, maxAttempts: 2)) }?.transportKind == .connectionReset)
        #expect(resets.requests.count == 2)
    }

    @Test func errorsThatAreNotTransientAreNotRetried() {
        let transport = ScriptedTransport([Fixture.accessDenied, Fixture.ok])
        #expect(thrown { () throws(AWSError) in try send(Fixture.client(transport)) }?.serviceCode == "AccessDenied")
        #expect(transport.requests.count == 1)
    }

    @Test(arguments: [("reset after connecting", ScriptedAnswer.reset), ("timeout", ScriptedAnswer.timeout), ("500", Fixture.internalError),
                      ("503", ScriptedAnswer.status(503, ""))])
    func aRequestThatIsNotIdempotentIsNeverResentAfterAnAmbiguousFailure(_ name: String, _ failure: ScriptedAnswer) {
        let transport = ScriptedTransport([failure, Fixture.ok, Fixture.ok])
        let error = thrown { () throws(AWSError) in try send(Fixture.client(transport), Fixture.request(.notIdempotent)) }
        #expect(error != nil, "\(name)")
        #expect(transport.requests.count == 1, "\(name): sent \(transport.requests.count) times")
        #expect(transport.requests.first?.safety == .notIdempotent)
    }

    @Test(arguments: [("throttling", Fixture.throttled), ("429", ScriptedAnswer.status(429, "")), ("connection never made", ScriptedAnswer.refused)])
    func aRequestThatIsNotIdempotentIsRetriedWhenNothingWasProcessed(_ name: String, _ failure: ScriptedAnswer) throws {
        let transport = ScriptedTransport([failure, failure, Fixture.ok])
        #expect(try send(Fixture.client(transport), Fixture.request(.notIdempotent)).status == 200, "\(name)")
        #expect(transport.requests.count == 3, "\(name)")
    }

    @Test func theQuotaIsSharedByEveryClientOfOneCore() throws {
        let quota = RetryQuota()
        #expect(quota.acquire(RetryQuota.capacity - 5))  // 5 tokens left: one retry
        let transport = ScriptedTransport()
        let core = Fixture.core(transport, quota: quota)
        let a = AWSClient(core: core, keys: FixedSigningKeys(Fixture.keys))
        let b = AWSClient(core: core, keys: FixedSigningKeys(Fixture.otherKeys))

        transport.enqueue(Fixture.internalError, Fixture.internalError)
        #expect(thrown { () throws(AWSError) in try send(a) }?.serviceCode == "InternalFailure")
        #expect(transport.requests.count == 2, "one retry, paid with the last 5 tokens")
        #expect(quota.tokens == 0)

        transport.enqueue(Fixture.internalError)
        #expect(thrown { () throws(AWSError) in try send(b) }?.serviceCode == "InternalFailure")
        #expect(transport.requests.count == 3, "client b finds the quota a spent: no retry")
        #expect(transport.requests.last?.signingKeyId == Fixture.otherKeys.accessKeyId)

        // A success with no retry gives back one token.
        transport.enqueue(Fixture.ok)
        _ = try send(a)
        #expect(quota.tokens == 1)
        #expect(quota.acquire(1))
        #expect(!quota.acquire(1))
    }

    @Test func aSuccessAfterRetriesRefundsWhatTheyTook() throws {
        let quota = RetryQuota()
        let transport = ScriptedTransport([ScriptedAnswer.timeout, Fixture.internalError, Fixture.ok])
        _ = try send(AWSClient(core: Fixture.core(transport, quota: quota), keys: FixedSigningKeys(Fixture.keys)))
        #expect(transport.requests.count == 3)
        #expect(quota.tokens == RetryQuota.capacity)

        let failing = ScriptedTransport([ScriptedAnswer.timeout, ScriptedAnswer.timeout, ScriptedAnswer.timeout])
        _ = thrown { () throws(AWSError) in try send(AWSClient(core: Fixture.core(failing, quota: quota), keys: FixedSigningKeys(Fixture.keys))) }
        #expect(quota.tokens == RetryQuota.capacity - 2 * RetryPolicy.timeoutRetryCost)
    }

    @Test func returnErrorResponsesGivesBackTheLastAnswerAfterRetries() throws {
        let transport = ScriptedTransport([Fixture.internalError, Fixture.internalError, ScriptedAnswer.status(500, "last")])
        let response = try Fixture.client(transport).send(Fixture.request(), service: "sts", signingRegion: "us-east-1", operation: "op",
                                                         options: AWSClient.SendOptions(returnErrorResponses: true))
        #expect(response.status == 500 && response.bodyText == "last")
        #expect(transport.requests.count == 3)
    }
}

struct AWSClientSkewAndSigningTests {
    func send(_ client: AWSClient) throws(AWSError) -> HTTPResponse {
        try client.send(Fixture.request(), service: "sts", signingRegion: "us-east-1", operation: "sts:GetCallerIdentity")
    }

    func signedAt(_ r: RecordedRequest) -> Int { SigningDate(amzDate: r.header("X-Amz-Date") ?? "")?.secondsSince1970 ?? 0 }

    static func skewed(serverTime: Int) -> ScriptedAnswer {
        .status(403, "<ErrorResponse><Error><Code>RequestTimeTooSkewed</Code><Message>too skewed</Message></Error></ErrorResponse>",
                headers: [("Date", httpDate(serverTime))])
    }

    @Test func theClockIsCorrectedOnceFromTheDateHeaderAndSharedByTheCore() throws {
        let server = SigningDate.now().secondsSince1970 + 3600
        let transport = ScriptedTransport([Self.skewed(serverTime: server), Fixture.ok, Fixture.ok])
        let core = Fixture.core(transport)
        _ = try send(AWSClient(core: core, keys: FixedSigningKeys(Fixture.keys)))
        #expect(transport.requests.count == 2)
        #expect(abs(core.clock.seconds - 3600) <= 2)
        #expect(abs(signedAt(transport.requests[1]) - server) <= 2, "the retry is signed at the server's time")

        // Another client of the same core signs at the corrected time from its first request.
        _ = try send(AWSClient(core: core, keys: FixedSigningKeys(Fixture.otherKeys)))
        #expect(transport.requests.count == 3)
        #expect(abs(signedAt(transport.requests[2]) - server) <= 2)
    }

    @Test func aServerThatStaysSkewedIsCorrectedForOnlyOnce() {
        let now = SigningDate.now().secondsSince1970
        let transport = ScriptedTransport([Self.skewed(serverTime: now + 3600), Self.skewed(serverTime: now + 7200), Fixture.ok])
        let core = Fixture.core(transport)
        let error = thrown { () throws(AWSError) in try send(AWSClient(core: core, keys: FixedSigningKeys(Fixture.keys))) }
        #expect(error?.serviceCode == "RequestTimeTooSkewed")
        #expect(transport.requests.count == 2)
        #expect(abs(core.clock.seconds - 3600) <= 2)
    }

    @Test func aSmallOffsetOrAMissingDateIsNotACorrection() {
        let now = SigningDate.now().secondsSince1970
        let small = ScriptedTransport([Self.skewed(serverTime: now + 20)])
        let core = Fixture.core(small)
        #expect(thrown { () throws(AWSError) in try send(AWSClient(core: core, keys: FixedSigningKeys(Fixture.keys))) }?.serviceCode == "RequestTimeTooSkewed")
        #expect(small.requests.count == 1 && core.clock.seconds == 0)

        let noDate = ScriptedTransport([.status(403, "<ErrorResponse><Error><Code>RequestExpired</Code></Error></ErrorResponse>")])
        #expect(thrown { () throws(AWSError) in try send(Fixture.client(noDate)) }?.serviceCode == "RequestExpired")
        #expect(noDate.requests.count == 1)
    }

    @Test func everyAttemptIsSignedWithTheSourcesCurrentKeys() throws {
        let keys = ChangingKeys(Fixture.keys)
        let transport = ScriptedTransport([Fixture.ok])
        let client = AWSClient(core: Fixture.core(transport), keys: keys)
        _ = try send(client)
        keys.replace(with: Fixture.otherKeys)
        transport.enqueue(Fixture.internalError, Fixture.ok)
        _ = try send(client)
        let requests = transport.requests
        #expect(requests.map { $0.signingKeyId } == ["AKIDEXAMPLE", "AKIDOTHER", "AKIDOTHER"])
        #expect(requests[0].signatureMatches(secret: Fixture.keys.secretAccessKey))
        #expect(requests[2].signatureMatches(secret: Fixture.otherKeys.secretAccessKey))
        #expect(!requests[2].signatureMatches(secret: Fixture.keys.secretAccessKey))
        #expect(requests[0].credential == RecordedRequest.CredentialScope(accessKeyId: "AKIDEXAMPLE", date: String(requests[0].header("X-Amz-Date")!.prefix(8)),
                                                                             region: "us-east-1", service: "sts"))
    }

    @Test func aSessionTokenIsSentAndSignedAndAnUnsignedClientSignsNothing() throws {
        let transport = ScriptedTransport([Fixture.ok, Fixture.ok])
        let temporary = SigningCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "s", sessionToken: "token/with+chars=")
        _ = try send(AWSClient(core: Fixture.core(transport), keys: FixedSigningKeys(temporary)))
        let signed = transport.requests[0]
        #expect(signed.header("X-Amz-Security-Token") == "token/with+chars=")
        #expect(signed.header("Authorization")?.contains("x-amz-security-token") == true)
        #expect(signed.header("Host") == "sts.us-east-1.amazonaws.com" && signed.header("User-Agent") == "credctl")

        _ = try send(AWSClient(core: Fixture.core(transport), keys: nil))
        #expect(transport.requests[1].header("Authorization") == nil && transport.requests[1].header("X-Amz-Date") == nil)
    }

    @Test func aHeaderWithAControlCharacterIsRefusedBeforeTheTransportIsCalled() {
        for value in ["a\r\nX-Injected: 1", "nul\u{0}byte", "bell\u{7}"] {
            let transport = ScriptedTransport([Fixture.ok])
            let error = thrown { () throws(AWSError) in
                try Fixture.client(transport).send(Fixture.request(headers: [("X-Custom", value)]), service: "sts",
                                                   signingRegion: "us-east-1", operation: "op")
            }
            #expect(error?.transportKind == .invalidRequest)
            #expect(error?.description.contains("X-Custom") == true && error?.description.contains("nothing was sent") == true)
            #expect(transport.requests.isEmpty)
        }
        // The same for a value that comes from the credentials (a session token with a line break).
        let transport = ScriptedTransport([Fixture.ok])
        let broken = SigningCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "s", sessionToken: "abc\ndef")
        let error = thrown { () throws(AWSError) in try send(AWSClient(core: Fixture.core(transport), keys: FixedSigningKeys(broken))) }
        #expect(error?.transportKind == .invalidRequest)
        #expect(error?.description.contains("abc") == false)
        #expect(transport.requests.isEmpty)
    }
}
