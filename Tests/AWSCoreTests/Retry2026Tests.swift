import Testing
@testable import AWSCore

/// One step of a fault series as botocore (AWS_NEW_RETRIES_2026=true) handled it
/// (`Retry2026Vectors.swift`, written by `scripts/testdata/retry_2026_vectors.py`). `code` is
/// empty for an error without a code; `status` 0 for a connection error.
struct Retry2026Step {
    var attempt: Int
    var code: String
    var status: Int
    var retryAfter: String?
    var random: Double
    var delay: Double
    var cost: Int
    var acquired: Bool
    var succeeded: Bool
    var tokensAfter: Int
}

struct Retry2026Series {
    var service: String
    var maxAttempts: Int
    var steps: [Retry2026Step]
}

struct Retry2026Tests {
    var policy: RetryPolicy {
        var p = RetryPolicy()
        p.newRetries2026 = true
        return p
    }

    /// The same waits, quota costs and tokens left as botocore, step by step.
    @Test func faultSeriesMatchBotocore() {
        #expect(retry2026Series.count == 3)
        for series in retry2026Series {
            let quota = RetryQuota()
            #expect(policy.maxAttempts(forService: series.service) == series.maxAttempts, "\(series.service)")
            for (i, step) in series.steps.enumerated() {
                let decision: RetryPolicy.Decision
                let throttling: Bool
                if step.status == 0 {
                    decision = policy.decision(for: TransportError(kind: .connectionReset, host: "h", detail: "reset", connected: true))
                    throttling = false
                } else {
                    let error = AWSServiceError(code: step.code, message: "", httpStatus: step.status)
                    decision = policy.decision(for: error)
                    throttling = RetryPolicy.isThrottling(error)
                }
                guard case .retry(let cost) = decision else {
                    Issue.record("\(series.service) step \(i): not retried"); continue
                }
                let acquired = quota.acquire(cost)
                #expect(acquired == step.acquired && (acquired ? cost : 0) == step.cost, "\(series.service) step \(i)")
                let delay = policy.delay(beforeRetry: step.attempt, service: series.service, throttling: throttling,
                                         retryAfter: step.retryAfter, random: step.random)
                #expect(abs(delay - step.delay) < 1e-12, "\(series.service) step \(i): \(delay) vs \(step.delay)")
                if step.succeeded { quota.recordSuccess(refund: acquired ? cost : 0) }
                #expect(quota.tokens == step.tokensAfter, "\(series.service) step \(i)")
            }
        }
    }

    @Test func offByDefaultAndTheOldRulesStay() {
        let old = RetryPolicy()
        #expect(!old.newRetries2026 && old.maxAttempts(forService: "dynamodb") == 3)
        #expect(old.decision(for: TransportError(kind: .timeout, host: "h", detail: "t", connected: true)) == .retry(cost: 10))
        #expect(policy.decision(for: TransportError(kind: .timeout, host: "h", detail: "t", connected: true)) == .retry(cost: 14))
        #expect(old.delay(beforeRetry: 3, random: 0.5) == 2)
        var configured = RetryPolicy(maxAttempts: 2)
        configured.newRetries2026 = true
        #expect(configured.maxAttempts(forService: "dynamodb") == 2)
    }

    @Test func retryAfterReadAsPythonInt() {
        let cases: [(String, Double?)] = [("250", 0.25), (" 1000\n", 1), ("+5", 0.005), ("-0", 0), ("-5", nil), ("1.5", nil),
                                          ("abc", nil), ("", nil), ("1_000", 1), ("_1", nil), ("1__0", nil)]
        for (text, seconds) in cases { #expect(RetryPolicy.retryAfterSeconds(text) == seconds, "\(text)") }
    }
}
