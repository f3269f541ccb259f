@testable import AWSClients
import AWSCore
import Synchronization
import Testing
import TransportTesting

/// Counts the calls of `AtMostOnce`'s write and check.
final class Calls: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    func count(_ name: String) { counts.withLock { $0[name, default: 0] += 1 } }
    subscript(name: String) -> Int { counts.withLock { $0[name, default: 0] } }
}

struct AtMostOnceTests {
    let clock = ManualClock()
    let quota = RetryQuota()
    var atMostOnce: AtMostOnce { AtMostOnce(policy: RetryPolicy(maxAttempts: 3), quota: quota, clock: clock) }
    static let lost = AWSError.service(AWSServiceError(code: "InternalFailure", message: "", httpStatus: 500))
    static let reset = AWSError.transport(TransportError(kind: .connectionReset, host: "h", detail: "reset", connected: true))
    static let denied = AWSError.service(AWSServiceError(code: "AccessDenied", message: "", httpStatus: 403))
    static let throttled = AWSError.service(AWSServiceError(code: "Throttling", message: "", httpStatus: 400))

    /// Runs `perform` with a write that fails with `failures` in turn, then answers "written".
    func run(failures: [AWSError], check: @escaping (Int) throws(AWSError) -> AtMostOnce.Check<String>) -> (result: Result<String, AWSError>, calls: Calls) {
        let calls = Calls()
        let result = Result { () throws(AWSError) -> String in
            try atMostOnce.perform("test write", write: { () throws(AWSError) -> String in
                calls.count("write")
                let n = calls["write"]
                if n <= failures.count { throw failures[n - 1] }
                return "written"
            }, check: { _ throws(AWSError) -> AtMostOnce.Check<String> in
                calls.count("check")
                return try check(calls["check"])
            })
        }
        return (result, calls)
    }

    @Test func aWriteThatWorksIsNotChecked() throws {
        let (result, calls) = run(failures: []) { _ in .notLanded }
        #expect(try result.get() == "written")
        #expect(calls["write"] == 1 && calls["check"] == 0)
    }

    @Test(arguments: [lost, reset])
    func aLostAnswerThatLandedIsNotWrittenAgain(_ failure: AWSError) throws {
        let (result, calls) = run(failures: [failure]) { _ in .landed("found by looking") }
        #expect(try result.get() == "found by looking")
        #expect(calls["write"] == 1 && calls["check"] == 1)
    }

    @Test func aLostAnswerThatDidNotLandIsWrittenAgain() throws {
        let (result, calls) = run(failures: [Self.lost, Self.reset]) { _ in .notLanded }
        #expect(try result.get() == "written")
        #expect(calls["write"] == 3 && calls["check"] == 2)
    }

    @Test func aFailingCheckStopsWithItsErrorAndWritesNothingMore() {
        let (result, calls) = run(failures: [Self.lost]) { _ throws(AWSError) in throw Self.denied }
        #expect(throws: AWSError.self) { try result.get() }
        if case .failure(let error) = result { #expect(error.isService(.accessDenied)) }
        #expect(calls["write"] == 1 && calls["check"] == 1)
    }

    @Test func attemptsRunOutAfterMaxAttemptsWrites() {
        let (result, calls) = run(failures: Array(repeating: Self.lost, count: 5)) { _ in .notLanded }
        if case .failure(let error) = result { #expect(error.serviceCode == "InternalFailure") } else { Issue.record("expected a failure") }
        #expect(calls["write"] == 3 && calls["check"] == 3)
        // Two retries: each waited on the clock (full jitter under 1 s, then 2 s) and took 5 tokens.
        #expect(clock.sleeps.count == 2 && clock.sleeps[0] <= 1 && clock.sleeps[1] <= 2)
        #expect(quota.tokens == RetryQuota.capacity - 10)
    }

    /// A throttled write was not processed: nothing to look at, and the client has already retried it.
    @Test func aThrottledWriteDidNotLandAndIsNotRetriedHere() {
        let (result, calls) = run(failures: [Self.throttled]) { _ in .landed("never") }
        if case .failure(let error) = result { #expect(error.serviceCode == "Throttling") } else { Issue.record("expected a failure") }
        #expect(calls["write"] == 1 && calls["check"] == 0)
        #expect(clock.sleeps.isEmpty && quota.tokens == RetryQuota.capacity)
    }

    @Test func aSpentQuotaStopsTheRetries() {
        #expect(quota.acquire(RetryQuota.capacity - 4))  // 4 tokens left: less than a retry costs
        let (result, calls) = run(failures: [Self.lost]) { _ in .notLanded }
        if case .failure(let error) = result { #expect(error.serviceCode == "InternalFailure") } else { Issue.record("expected a failure") }
        #expect(calls["write"] == 1 && calls["check"] == 1)
        #expect(clock.sleeps.isEmpty)
    }

    /// Inner and outer retries together: a write throttled every time is sent maxAttempts
    /// times, not maxAttempts²; a lost answer then throttling also stays within the quota.
    @Test func aWriteThrottledEveryTimeIsSentMaxAttemptsTimes() {
        let transport = ScriptedTransport(handler: { _ in Fixture.throttled })
        let core = Fixture.core(transport, maxAttempts: 3)
        let client = AWSClient(core: core, keys: FixedSigningKeys(Fixture.keys))
        let result = Result { () throws(AWSError) -> HTTPResponse in
            try AtMostOnce(core: core).perform("test write", write: { () throws(AWSError) -> HTTPResponse in
                try client.send(Fixture.request(.notIdempotent), service: "sts", signingRegion: "us-east-1", operation: "sts:Test")
            }, check: { _ throws(AWSError) -> AtMostOnce.Check<HTTPResponse> in
                Issue.record("a throttled write was checked")
                return .notLanded
            })
        }
        if case .failure(let error) = result { #expect(error.serviceCode == "Throttling") } else { Issue.record("expected a failure") }
        #expect(transport.requests.count == 3)
        #expect(core.retryQuota.tokens == RetryQuota.capacity - 10)
    }

    @Test func lostAnswersThenThrottlingDrawOnOneQuota() {
        let transport = ScriptedTransport([Fixture.internalError, Fixture.throttled, Fixture.internalError, Fixture.ok])
        let core = Fixture.core(transport, maxAttempts: 3)
        let client = AWSClient(core: core, keys: FixedSigningKeys(Fixture.keys))
        let checks = Calls()
        let result = Result { () throws(AWSError) -> HTTPResponse in
            try AtMostOnce(core: core).perform("test write", write: { () throws(AWSError) -> HTTPResponse in
                try client.send(Fixture.request(.notIdempotent), service: "sts", signingRegion: "us-east-1", operation: "sts:Test")
            }, check: { _ throws(AWSError) -> AtMostOnce.Check<HTTPResponse> in
                checks.count("check")
                return .notLanded
            })
        }
        #expect((try? result.get())?.status == 200)
        #expect(transport.requests.count == 4 && checks["check"] == 2)
        // Three retries (outer, inner, outer) took 15 tokens; the last send, which needed no retry, gave back 1.
        #expect(core.retryQuota.tokens == RetryQuota.capacity - 14)
    }

    @Test func anErrorThatProvesNothingHappenedIsThrownWithoutLooking() {
        let refused = AWSError.transport(TransportError(kind: .connectionFailed, host: "h", detail: "refused", connected: false))
        for failure in [Self.denied, refused, AWSError.configuration(ConfigurationError("bad"))] {
            let (result, calls) = run(failures: [failure]) { _ in .landed("never") }
            #expect(throws: AWSError.self) { try result.get() }
            #expect(calls["write"] == 1 && calls["check"] == 0)
        }
    }

    @Test func whichFailuresAreAmbiguous() {
        #expect(atMostOnce.isAmbiguous(Self.lost))
        #expect(atMostOnce.isAmbiguous(Self.reset))
        #expect(atMostOnce.isAmbiguous(.transport(TransportError(kind: .timeout, host: "h", detail: "t", connected: true))))
        #expect(atMostOnce.isAmbiguous(.service(AWSServiceError(code: "ServiceUnavailable", message: "", httpStatus: 503))))
        // A 2xx answer that could not be read: the call was processed, its result is unknown.
        #expect(atMostOnce.isAmbiguous(.invalidResponse(operation: "iam:CreateAccessKey", detail: "malformed XML")))
        #expect(!atMostOnce.isAmbiguous(Self.denied))
        #expect(!atMostOnce.isAmbiguous(.transport(TransportError(kind: .connectionFailed, host: "h", detail: "r", connected: false))))
        #expect(!atMostOnce.isAmbiguous(.transport(TransportError(kind: .tlsFailure, host: "h", detail: "r", connected: true))))
    }
}

struct PaginatorTests {
    /// Pages keyed by the token that asks for them (nil: the first).
    func pages(_ pages: [String?: Page<Int>], calls: Calls) -> (String?) throws(AWSError) -> Page<Int> {
        { token throws(AWSError) in
            calls.count("page")
            guard let page = pages[token] else { throw .invalidResponse(operation: "test", detail: "unexpected token \(token ?? "nil")") }
            return page
        }
    }

    @Test func followsShortAndEmptyPagesToTheLast() throws {
        let calls = Calls()
        var counts: [Int] = []
        let items = try Paginator.all(operation: "test", onPage: { counts.append($0) }, pages([
            nil: Page(items: [1, 2], nextToken: "a"), "a": Page(items: [], nextToken: "b"),
            "b": Page(items: [3], nextToken: "c"), "c": Page(items: [], nextToken: nil),
        ], calls: calls))
        #expect(items == [1, 2, 3])
        #expect(calls["page"] == 4)
        #expect(counts == [2, 2, 3, 3])
    }

    @Test func anEmptyTokenEndsTheListingAndAnEmptyListingIsEmpty() throws {
        let calls = Calls()
        #expect(try Paginator.all(operation: "test", pages([nil: Page(items: [7], nextToken: "")], calls: calls)) == [7])
        #expect(try Paginator.all(operation: "test", pages([nil: Page(items: [], nextToken: nil)], calls: calls)) == [])
        #expect(calls["page"] == 2)
    }

    @Test func aLimitStopsBeforeTheNextPage() throws {
        let calls = Calls()
        let items = try Paginator.all(operation: "test", limit: 3, pages([
            nil: Page(items: [1, 2], nextToken: "a"), "a": Page(items: [3, 4], nextToken: "b"), "b": Page(items: [5], nextToken: nil),
        ], calls: calls))
        #expect(items == [1, 2, 3])
        #expect(calls["page"] == 2)
    }

    @Test func aTokenHandedBackTwiceIsRefused() {
        let calls = Calls()
        let error = thrown { () throws(AWSError) in
            try Paginator.all(operation: "ssm:GetParametersByPath", pages([
                nil: Page(items: [1], nextToken: "a"), "a": Page(items: [2], nextToken: "b"), "b": Page(items: [3], nextToken: "a"),
            ], calls: calls))
        }
        guard case .invalidResponse(let operation, let detail)? = error else { Issue.record("expected invalidResponse, got \(String(describing: error))"); return }
        #expect(operation == "ssm:GetParametersByPath")
        #expect(detail == "the service returned the same pagination token twice")
        #expect(calls["page"] == 3)
    }
}
