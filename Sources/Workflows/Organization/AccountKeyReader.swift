import AWSClients
import AWSCore

/// How an account's keys were read.
public enum KeyReadMethod: String, Sendable {
    /// The IAM credential report gave the users and each key's last use: one `ListAccessKeys`
    /// per user with keys, instead of `ListUsers` pages plus one `GetAccessKeyLastUsed` per key.
    case credentialReport = "credential-report"
    /// `ListUsers`, then `ListAccessKeys` and `GetAccessKeyLastUsed` per user and key.
    case perUser = "per-user"
}

/// One account's users, as the first step of its audit finds them, and what is left to do per user.
public struct AccountUsers: Sendable {
    public var method: KeyReadMethod
    /// Why the credential report was not used (nil when it was).
    public var fallbackReason: String?
    /// When the report used was made (IAM makes one at most every 4 hours).
    public var reportGenerated: Int?
    public var users: [String]
    /// Per user, the report's key slots (empty in per-user mode, or for a user with no keys).
    var reportSlots: [String: [CredentialReportUser.KeySlot]]

    /// Whether reading `user`'s keys needs any call (a user the report shows without keys needs none).
    func needsCalls(_ user: String) -> Bool { method == .perUser || !(reportSlots[user] ?? []).isEmpty }
}

/// Reads the access keys of one account's users with one IAM client, by the cheaper method
/// the account allows.
public struct AccountKeyReader: Sendable {
    public let iam: IAMClient
    /// The longest wait for IAM to finish a credential report before falling back to per-user calls.
    public var reportTimeout: Double

    public init(iam: IAMClient, reportTimeout: Double = 30) {
        self.iam = iam
        self.reportTimeout = reportTimeout
    }

    /// The account's users: from the credential report when it can be had, else from `ListUsers`.
    /// Any refusal (4xx) of the report falls back; bad credentials, throttling that outlasted the
    /// retries, server errors and network failures do not (per-user calls would meet them too).
    public func users() throws(AWSError) -> AccountUsers {
        let reason: String
        do {
            let report = try credentialReport()
            var slots: [String: [CredentialReportUser.KeySlot]] = [:]
            for u in report.users { slots[u.user] = u.keys }
            return AccountUsers(method: .credentialReport, reportGenerated: report.generated, users: report.users.map(\.user), reportSlots: slots)
        } catch .service(let e) where e.httpStatus < 500 && !e.isCredentialError && !RetryPolicy.isThrottling(e) {
            reason = e.description
        } catch .invalidResponse(let operation, let detail) {
            reason = "\(operation): \(detail)"
        }
        return AccountUsers(method: .perUser, fallbackReason: reason, users: try iam.listUsers().map(\.name), reportSlots: [:])
    }

    /// `GetCredentialReport`'s answers while a report is being made, or after an old one expired.
    static let reportNotReadyCodes: Set<String> = ["ReportInProgress", "ReportNotPresent", "ReportExpired"]

    /// The waits while IAM makes the report: 0.5, 1, 2, 4, 5… s, up to `reportTimeout`, on the run's clock.
    var waiter: Waiter { Waiter(backoff: .doubling(from: 0.5, maximum: 5), timeout: reportTimeout, clock: iam.core.time) }

    /// Asks IAM for the report and waits while it is being made (asking it again before each look).
    func credentialReport() throws(AWSError) -> CredentialReport {
        var state = try iam.generateCredentialReport()
        var loop = waiter.start()
        while true {
            do {
                return try iam.getCredentialReport()
            } catch .service(let e) where Self.reportNotReadyCodes.contains(e.code) {
                guard loop.pause() else {
                    throw .service(AWSServiceError(code: e.code, message: "the credential report was not ready after \(Int(reportTimeout)) s (last state \(state))",
                                                   httpStatus: e.httpStatus, operation: e.operation))
                }
                state = try iam.generateCredentialReport()
            }
        }
    }

    /// `user`'s keys with their last use. With the report, each key is matched to the report's
    /// slot made the same second; a key the report does not know (made after it) is asked about.
    public func records(of user: String, in account: AccountUsers) throws(AWSError) -> [AccessKeyRecord] {
        guard account.needsCalls(user) else { return [] }
        let keys: [AccessKeyMetadata]
        do {
            keys = try iam.listAccessKeys(user)
        } catch .service(let e) where e.code == "NoSuchEntity" && account.method == .credentialReport {
            return []  // deleted since the report was made
        }
        var slots = account.reportSlots[user] ?? []
        var records: [AccessKeyRecord] = []
        for key in keys {
            try AccessKeyAudit.requireAge(key)
            if account.method == .credentialReport, let created = key.created,
               let i = slots.firstIndex(where: { $0.lastRotated == created }) {
                records.append(AccessKeyRecord(user: user, key: key, lastUse: slots.remove(at: i).lastUsed))
            } else {
                records.append(AccessKeyRecord(user: user, key: key, lastUse: try iam.getAccessKeyLastUsed(key.id).lastUse))
            }
        }
        return records
    }
}
