import AWSCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way credctl makes a call that must not take effect twice (creating a key, a user, a
/// policy or a policy version, writing a parameter, deleting). The client retries such a call
/// only after failures that prove it was not processed; every other failure — an answer lost
/// to a 5xx, a timeout or a dropped connection after the request went out — comes here, and the
/// call is made again only after `check` has looked at the service and found that it did not
/// land. `check` may also clean up (delete a key whose secret was lost) before saying so.
public struct AtMostOnce: Sendable {
    public enum Check<Result> {
        /// The lost call did take effect; this is its result.
        case landed(Result)
        /// It did not (or what it did was undone): the call may be made again.
        case notLanded
    }

    /// The full policy: which failures may hide a landed call, how many attempts in all.
    public let policy: RetryPolicy
    public let log: DebugLog

    public init(policy: RetryPolicy, log: DebugLog = .off) {
        self.policy = policy
        self.log = log
    }

    /// Whether `error` leaves it open whether the call took effect.
    public func isAmbiguous(_ error: AWSError) -> Bool {
        switch error {
        case .transport(let t): return t.connected && policy.retries(error)
        case .service: return policy.retries(error)
        // A 2xx answer that could not be read: the call was processed, its result is unknown.
        case .invalidResponse: return true
        default: return false
        }
    }

    public func perform<Result>(_ what: String, write: () throws(AWSError) -> Result,
                                check: (AWSError) throws(AWSError) -> Check<Result>) throws(AWSError) -> Result {
        var attempt = 1
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
                guard attempt < policy.maxAttempts else { throw error }
                let seconds = policy.delay(beforeRetry: attempt)
                if seconds > 0 { usleep(useconds_t(min(seconds, 60) * 1_000_000)) }
                attempt += 1
            }
        }
    }
}
