import Testing
@testable import AWSCore

struct ErrorBodyParserTests {
    func response(_ status: Int, _ body: String, _ headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers.map { (name: $0.0, value: $0.1) }, body: Array(body.utf8))
    }

    @Test func queryXML() {
        let e = ErrorBodyParser.parse(response(403, """
            <?xml version="1.0"?><ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>
            <Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error>
            <RequestId>abc-123</RequestId></ErrorResponse>
            """), operation: "sts:GetCallerIdentity")
        #expect(e == AWSServiceError(code: "InvalidClientTokenId", message: "The security token included in the request is invalid.",
                                     requestId: "abc-123", httpStatus: 403, operation: "sts:GetCallerIdentity"))
        #expect(e.isCredentialError)
    }

    @Test func motoStyleXMLForAJSONService() {
        let e = ErrorBodyParser.parse(response(403, "<ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>no &amp; never</Message></Error></Errors></ErrorResponse>"))
        #expect(e.code == "AccessDenied")
        #expect(e.message == "no & never")
    }

    @Test func jsonWithPrefixedType() {
        let e = ErrorBodyParser.parse(response(400, #"{"__type":"com.amazonaws.ssm#ParameterNotFound","message":"not here"}"#,
                                               [("x-amzn-RequestId", "r-1")]))
        #expect(e == AWSServiceError(code: "ParameterNotFound", message: "not here", requestId: "r-1", httpStatus: 400))
    }

    @Test func jsonWithCapitalMessageAndColonSuffix() {
        let e = ErrorBodyParser.parse(response(400, #"{"__type":"ValidationException:http://internal.amazon.com/coral/","Message":"bad"}"#))
        #expect(e.code == "ValidationException")
        #expect(e.message == "bad")
    }

    @Test func queryErrorHeaderWins() {
        let e = ErrorBodyParser.parse(response(400, #"{"__type":"com.amazon#Whatever","message":"m"}"#,
                                               [("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")]))
        #expect(e.code == "AWS.SimpleQueueService.NonExistentQueue")
    }

    @Test func unreadableBodiesFallBackToTheStatus() {
        let e = ErrorBodyParser.parse(response(503, "<html>\u{1}oops"))
        #expect(e.code == "ServiceUnavailable")
        #expect(e.message == "HTTP 503: <html> oops")
        #expect(ErrorBodyParser.parse(response(502, "")).message == "HTTP 502 with an empty body")
    }
}

struct RetryPolicyTests {
    @Test func classifiesAsTheSDKsDo() {
        let p = RetryPolicy()
        #expect(p.maxAttempts == 3)
        #expect(p.decision(for: AWSServiceError(code: "ThrottlingException", message: "", httpStatus: 400)) == .retry(cost: 5))
        #expect(p.decision(for: AWSServiceError(code: "InternalFailure", message: "", httpStatus: 500)) == .retry(cost: 5))
        #expect(p.decision(for: AWSServiceError(code: "LimitExceeded", message: "", httpStatus: 409)) == .doNotRetry)
        #expect(p.decision(for: AWSServiceError(code: "AccessDenied", message: "", httpStatus: 403)) == .doNotRetry)
        #expect(p.decision(for: TransportError(kind: .timeout, host: "h", detail: "")) == .retry(cost: 10))
        #expect(p.decision(for: TransportError(kind: .tlsFailure, host: "h", detail: "")) == .doNotRetry)
        #expect(RetryPolicy(mode: .legacy).maxAttempts == 5)
    }

    @Test func backoffIsCappedAndJittered() {
        let p = RetryPolicy()
        for retry in 1...10 {
            let d = p.delay(beforeRetry: retry)
            #expect(d >= 0 && d <= min(Double(1 << (retry - 1)), 20))
        }
    }

    @Test func resolvesSettings() throws {
        #expect(try RetryPolicy.resolve(mode: "STANDARD", maxAttempts: "7").maxAttempts == 7)
        #expect(throws: ConfigurationError.self) { try RetryPolicy.resolve(mode: "eager", maxAttempts: nil) }
        #expect(throws: ConfigurationError.self) { try RetryPolicy.resolve(mode: nil, maxAttempts: "0") }
    }

    @Test func quotaRunsOutAndRefills() {
        let q = RetryQuota()
        var granted = 0
        while q.acquire(5) { granted += 1 }
        #expect(granted == 100)
        #expect(!q.acquire(5))
        q.recordSuccess(refund: 5)
        #expect(q.tokens == 5)
        q.recordSuccess(refund: 0)
        #expect(q.tokens == 6)
    }
}

struct ClockSkewTests {
    @Test func learnsTheOffsetFromTheDateHeader() {
        let skew = ClockSkew()
        let now = SigningDateNow.seconds()
        let response = HTTPResponse(status: 403, headers: [("Date", HTTPDateFormatting.imf(now + 3600))])
        let error = AWSServiceError(code: "RequestTimeTooSkewed", message: "", httpStatus: 403)
        #expect(skew.learn(from: error, response: response, signedAt: .init(secondsSince1970: now)))
        #expect(abs(skew.seconds - 3600) <= 1)
        // The same offset again is not news.
        #expect(!skew.learn(from: error, response: response, signedAt: .init(secondsSince1970: now + skew.seconds)))
    }

    @Test func signatureErrorsNeedALargeSkew() {
        let skew = ClockSkew()
        let now = SigningDateNow.seconds()
        let error = AWSServiceError(code: "SignatureDoesNotMatch", message: "", httpStatus: 403)
        let small = HTTPResponse(status: 403, headers: [("Date", HTTPDateFormatting.imf(now + 120))])
        #expect(!skew.learn(from: error, response: small, signedAt: .init(secondsSince1970: now)))
        let large = HTTPResponse(status: 403, headers: [("Date", HTTPDateFormatting.imf(now - 900))])
        #expect(skew.learn(from: error, response: large, signedAt: .init(secondsSince1970: now)))
        #expect(abs(skew.seconds + 900) <= 1)
    }

    @Test func httpDates() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == 784_111_777)
        #expect(HTTPDate.parse("yesterday") == nil)
    }
}

import SigV4

enum SigningDateNow {
    static func seconds() -> Int { SigningDate.now().secondsSince1970 }
}

enum HTTPDateFormatting {
    static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static func imf(_ seconds: Int) -> String {
        let t = CivilTime(epochSeconds: seconds)
        func p(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[(seconds / 86400) % 7]), \(p(t.day)) \(months[t.month - 1]) \(t.year) \(p(t.hour)):\(p(t.minute)):\(p(t.second)) GMT"
    }
}

struct ErrorBodyParserEmptyCodeTests {
    /// Found by the fuzz tests (seed 2): an empty code gave an error with no code at all.
    @Test func emptyCodeFallsBackToTheStatus() {
        let xml = HTTPResponse(status: 503, body: Array("<ErrorResponse><Error><Code></Code><Message>m</Message></Error></ErrorResponse>".utf8))
        #expect(ErrorBodyParser.parse(xml).code == "ServiceUnavailable")
        let json = HTTPResponse(status: 400, body: Array(#"{"__type":"com.amazon#","message":"m"}"#.utf8))
        #expect(ErrorBodyParser.parse(json).code == "BadRequest")
    }
}
