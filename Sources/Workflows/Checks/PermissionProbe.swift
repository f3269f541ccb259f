import AWSCore

/// The answer to "may these credentials do X?", found by doing X in a read-only way.
public struct ProbeResult: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        case allowed, denied
        /// The call failed for another reason (a missing table, a bad name): not a permission answer.
        case failed
        /// Not tried: it would change something, or it needs what an earlier probe was refused.
        case skipped
    }

    /// The IAM action to grant, e.g. `dynamodb:Scan`.
    public var action: String
    public var resource: String
    public var outcome: Outcome
    public var detail: String

    /// True unless the probe was refused or failed.
    public var passed: Bool { outcome == .allowed || outcome == .skipped }

    public init(action: String, resource: String, outcome: Outcome, detail: String) {
        self.action = action
        self.resource = resource
        self.outcome = outcome
        self.detail = detail
    }
}

public enum PermissionProbe {
    /// Error codes that mean "not allowed".
    public static let deniedCodes: Set<String> = ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException"]

    /// Runs `call`: an answer means allowed; an access-denied answer means denied (the detail
    /// names the action to grant); a code in `provesAllowed` (a "not found" that can only come
    /// after authorisation) means allowed. Credential, network and retryable service errors
    /// (throttling, 5xx) are thrown: no probe can answer then.
    public static func run(_ action: String, resource: String, provesAllowed: Set<String> = [],
                           _ call: () throws(AWSError) -> String) throws(AWSError) -> ProbeResult {
        do {
            return ProbeResult(action: action, resource: resource, outcome: .allowed, detail: try call())
        } catch {
            // Refused credentials, no answer, or a service error that outlasted the retries
            // (throttling, 5xx): no probe can say anything about permissions then.
            guard case .service(let e) = error, !e.isCredentialError, !RetryPolicy().retries(error) else { throw error }
            if provesAllowed.contains(e.code) {
                return ProbeResult(action: action, resource: resource, outcome: .allowed, detail: "allowed (\(e.code) for the probe)")
            }
            if deniedCodes.contains(e.code) {
                return ProbeResult(action: action, resource: resource, outcome: .denied,
                                   detail: "\(e.code): grant \(action) on \(resource)")
            }
            return ProbeResult(action: action, resource: resource, outcome: .failed, detail: "\(e.code): \(e.message)")
        }
    }

    public static func skipped(_ action: String, resource: String, _ why: String) -> ProbeResult {
        ProbeResult(action: action, resource: resource, outcome: .skipped, detail: why)
    }
}
