import AWSClients
import AWSCore

/// One access key with its age and last use, as `keys list` and `keys audit` show it.
public struct AccessKeyRecord: Sendable {
    public var user: String
    public var key: AccessKeyMetadata
    public var lastUse: AccessKeyLastUse

    /// Whole days since the key was created, at `now`.
    public func ageDays(now: Int) -> Int? { key.created.map { max(0, now - $0) / 86_400 } }
}

/// What `keys audit` finds wrong with one active key.
public struct AccessKeyFinding: Sendable, Equatable {
    public enum Kind: String, Sendable { case tooOld = "too-old", unused = "unused" }
    public var user: String
    public var keyId: String
    public var kind: Kind
    public var detail: String
}

/// The limits `keys audit` checks, in seconds; nil skips that check.
public struct AuditLimits: Sendable {
    public var maxAge: Int?
    public var unused: Int?

    public init(maxAge: Int?, unused: Int?) {
        self.maxAge = maxAge
        self.unused = unused
    }
}

/// Reads users' keys and their last use, and judges active keys against the limits.
public struct AccessKeyAudit: Sendable {
    public let iam: IAMClient

    public init(iam: IAMClient) { self.iam = iam }

    /// Every key of every user named, with its last use (8 calls at a time); the running counts
    /// go to `progress`.
    public func records(users: [String], progress: @escaping @Sendable (String) -> Void = { _ in }) throws(AWSError) -> [AccessKeyRecord] {
        let usersRead = ProgressCount("listed the keys of", "users", total: users.count, report: progress)
        let perUser = ConcurrentWork.map(users, width: 8) { [iam] user in
            defer { usersRead.add() }
            return Result { () throws(AWSError) in try iam.listAccessKeys(user).map { key throws(AWSError) in try Self.requireAge(key); return (user, key) } }
        }
        var keys: [(String, AccessKeyMetadata)] = []
        for r in perUser { keys += try r.get() }
        let keysRead = ProgressCount("read the last use of", "keys", total: keys.count, report: progress)
        let lastUses = ConcurrentWork.map(keys, width: 8) { [iam] pair in
            defer { keysRead.add() }
            return Result { () throws(AWSError) in try iam.getAccessKeyLastUsed(pair.1.id).lastUse }
        }
        var records: [AccessKeyRecord] = []
        for (pair, use) in zip(keys, lastUses) { records.append(AccessKeyRecord(user: pair.0, key: pair.1, lastUse: try use.get())) }
        return records
    }

    /// An active key must have an age to be judged: one IAM gave without `CreateDate` is an
    /// unreadable answer (its user, or account, is not audited), never a key that passes.
    static func requireAge(_ key: AccessKeyMetadata) throws(AWSError) {
        guard key.status == .active, key.created == nil else { return }
        throw .invalidResponse(operation: "iam:ListAccessKeys", detail: "no CreateDate for the active key \(key.id): its age cannot be judged")
    }

    /// Active keys older than `maxAge`, and active keys not used for `unused` (a key never used
    /// counts from its creation).
    public static func findings(_ records: [AccessKeyRecord], limits: AuditLimits, now: Int) -> [AccessKeyFinding] {
        var findings: [AccessKeyFinding] = []
        for r in records where r.key.status == .active {
            if let maxAge = limits.maxAge, let created = r.key.created, now - created > maxAge {
                findings.append(AccessKeyFinding(user: r.user, keyId: r.key.id, kind: .tooOld,
                                                 detail: "\((now - created) / 86_400) days old (limit \(maxAge / 86_400))"))
            }
            if let unused = limits.unused {
                if let last = r.lastUse.date {
                    if now - last > unused {
                        findings.append(AccessKeyFinding(user: r.user, keyId: r.key.id, kind: .unused,
                                                         detail: "last used \((now - last) / 86_400) days ago (limit \(unused / 86_400))"))
                    }
                } else if let created = r.key.created, now - created > unused {
                    findings.append(AccessKeyFinding(user: r.user, keyId: r.key.id, kind: .unused,
                                                     detail: "never used in the \((now - created) / 86_400) days since it was created (limit \(unused / 86_400))"))
                }
            }
        }
        return findings
    }
}
