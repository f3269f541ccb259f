import AWSCore

/// The one way credctl makes a call that must not take effect twice (creating a key, a user, a
/// policy or a policy version, writing a parameter, deleting). The client retries such a call
/// only after failures that prove it was not processed (throttling, a connection never made),
/// as far as its attempts and the retry quota allow; such a failure that reaches here did not
/// land and is not tried again. Every other failure — an answer lost to a 5xx, a timeout or a
/// dropped connection after the request went out — may hide a landed call: the call is made
/// again only after `check` has looked at the service and found that it did not land. `check`
/// may also clean up (delete a key whose secret was lost) before saying so. Each of these
/// retries waits on the run's clock and takes its cost from the run's retry quota, as the
/// client's own do.
public struct AtMostOnce: Sendable {
    public enum Check<Result> {
        /// The lost call did take effect; this is its result.
        case landed(Result)
        /// It did not (or what it did was undone): the call may be made again.
        case notLanded
    }

    /// The full policy: which failures may hide a landed call, how many attempts in all.
    public let policy: RetryPolicy
    public let quota: RetryQuota
    public let waiter: Waiter
    public let log: DebugLog

    public init(policy: RetryPolicy, quota: RetryQuota = RetryQuota(), clock: any RunClock = SystemClock(), log: DebugLog = .off) {
        self.policy = policy
        self.quota = quota
        self.waiter = Waiter(backoff: policy.backoff, maxAttempts: policy.maxAttempts, clock: clock)
        self.log = log
    }

    /// On the run's core: its policy, quota, clock and log.
    public init(core: ClientCore) {
        self.init(policy: core.retryPolicy, quota: core.retryQuota, clock: core.time, log: core.log)
    }

    /// Whether `error` leaves it open whether the call took effect: the full policy would retry
    /// it, and it is not one of the failures that prove nothing was processed.
    public func isAmbiguous(_ error: AWSError) -> Bool {
        switch error {
        case .transport, .service: return policy.retries(error) && !policy.atMostOnce.retries(error)
        // A 2xx answer that could not be read: the call was processed, its result is unknown.
        case .invalidResponse: return true
        default: return false
        }
    }

    /// What another attempt after `error` takes from the retry quota.
    func cost(of error: AWSError) -> Int {
        switch error {
        case .transport(let t): if case .retry(let cost) = policy.decision(for: t) { return cost }
        case .service(let e): if case .retry(let cost) = policy.decision(for: e) { return cost }
        default: break
        }
        return RetryPolicy.retryCost
    }

    public func perform<Result>(_ what: String, write: () throws(AWSError) -> Result,
                                check: (AWSError) throws(AWSError) -> Check<Result>) throws(AWSError) -> Result {
        var loop = waiter.start()
        while true {
            do {
                return try write()
            } catch {
                guard isAmbiguous(error) else { throw error }
                log("\(what): \(error); checking whether it took effect before trying again")
                if case .landed(let result) = try check(error) {
                    log("\(what): it had taken effect")
                    return result
                }
                guard let delay = loop.nextDelay() else { throw error }
                guard quota.acquire(cost(of: error)) else {
                    log("\(what): the retry quota is spent; not trying again")
                    throw error
                }
                loop.wait(min(delay, 60))
            }
        }
    }
}
