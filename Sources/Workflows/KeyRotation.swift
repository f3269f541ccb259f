import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// How `credctl rotate` was asked to behave.
public struct RotationOptions: Sendable {
    /// The IAM user whose key to rotate; nil for the caller's own user.
    public var user: String?
    /// At the two-key limit, delete the user's other key even when it is active.
    public var deleteOtherKey: Bool
    /// Stop after deactivating the old key instead of deleting it.
    public var keepOldInactive: Bool
    public var dryRun: Bool
    /// Seconds to keep retrying a new key IAM does not know yet.
    public var propagationTimeout: Double

    public init(user: String? = nil, deleteOtherKey: Bool = false, keepOldInactive: Bool = false, dryRun: Bool = false,
                propagationTimeout: Double = 60) {
        self.user = user
        self.deleteOtherKey = deleteOtherKey
        self.keepOldInactive = keepOldInactive
        self.dryRun = dryRun
        self.propagationTimeout = propagationTimeout
    }
}

/// What a rotation will do, worked out before anything changes.
public struct RotationPlan: Sendable {
    public var account: String
    public var user: String
    public var oldKey: AccessKeyMetadata
    public var profiles: [String]
    public var credentialsFile: String
    /// The user's other key, deleted first (it is inactive, or `--delete-other-key` was given).
    public var otherKeyToDelete: AccessKeyMetadata?
    public var keepOldInactive: Bool
    /// A rotation that journal says was interrupted, finished or undone first.
    public var pendingJournal: RotationJournal?

    /// The steps in words, for the confirmation prompt and `--dry-run`.
    public var steps: [String] {
        var lines: [String] = []
        if let j = pendingJournal {
            lines.append("finish or undo the interrupted rotation of \(j.started > 0 ? Timestamp.format(j.started) : "unknown time") (step \(j.step.rawValue))")
        }
        if let other = otherKeyToDelete {
            lines.append("delete the user's other key \(other.id) (\(other.status.rawValue)) to stay within the two-key limit")
        }
        lines.append("create a new access key for \(user)")
        lines.append("write it to \(credentialsFile) in profile\(profiles.count == 1 ? "" : "s") \(profiles.joined(separator: ", ")) (previous file kept as \(credentialsFile).credctl-backup)")
        lines.append("check the new key against STS, waiting while IAM propagates it")
        lines.append("deactivate the old key \(oldKey.id)")
        if !keepOldInactive { lines.append("delete the old key \(oldKey.id)") }
        return lines
    }
}

/// What a finished rotation did.
public struct RotationResult: Sendable {
    public var account: String
    public var user: String
    public var oldKeyId: String
    public var newKeyId: String
    public var profiles: [String]
    public var credentialsFile: String
    /// `deleted` or `inactive`.
    public var oldKeyState: String
    /// True when this run finished a rotation an earlier run had begun.
    public var finishedInterrupted: Bool
}

public enum RotationOutcome: Sendable {
    case planned(RotationPlan)
    case declined(RotationPlan)
    case rotated(RotationResult)
}

/// A rotation that stopped. `nothingChanged` and `needsAttention` say what state it left.
public enum RotationError: Error, CustomStringConvertible {
    /// Refused before changing anything (two-key limit, another rotation running): exit 1.
    case refused(String)
    /// Undone: the credentials file holds the old key again and the new key is deleted: exit 1.
    case rolledBack(String)
    /// Stopped part way; `left` says what is left and that the next `rotate` finishes it.
    case incomplete(AWSError, left: String)

    public var description: String {
        switch self {
        case .refused(let m), .rolledBack(let m): return m
        case .incomplete(let e, let left): return "\(e)\n  \(left)"
        }
    }
}

/// `credctl rotate`: replaces an IAM user's access key without ever leaving the credentials
/// file without a working key. See docs/rotation.md for the steps and the recovery rules.
public struct KeyRotation: Sendable {
    public let session: AWSSession
    public let options: RotationOptions
    public let state: RotationState
    /// Progress lines (stderr).
    public let report: @Sendable (String) -> Void

    public init(session: AWSSession, options: RotationOptions, report: @escaping @Sendable (String) -> Void) {
        self.session = session
        self.options = options
        self.state = RotationState.standard(session.environment)
        self.report = report
    }

    var fileUpdate: CredentialsFileUpdate { CredentialsFileUpdate(path: session.files.credentialsPath, state: state) }
    var wait: PropagationWait { PropagationWait(timeout: options.propagationTimeout, onWait: report) }

    /// The caller, its IAM client, and the user to rotate.
    struct Context {
        var caller: SigningCredentials
        var identity: CallerIdentity
        var user: String
        var iam: IAMClient
        var sts: ResolvedEndpoint
    }

    public func run(confirm: (RotationPlan) -> Bool) throws -> RotationOutcome {
        let context = try makeContext()
        if options.dryRun {
            let pending = try state.load(account: context.identity.account, user: context.user)
            return .planned(try plan(context, pending: pending))
        }
        try state.prepare()
        let lockPath = state.lockPath(account: context.identity.account, user: context.user)
        let lock: FileLock
        do { lock = try FileLock.acquire(lockPath) } catch {
            if case .held(let pid) = error {
                throw RotationError.refused("another credctl rotate of user \(context.user) is running\(pid.map { " (pid \($0))" } ?? ""); nothing was changed")
            }
            throw AWSError.configuration(ConfigurationError("cannot lock \(lockPath): \(error)"))
        }
        defer { lock.release() }

        // A journal means an earlier run was stopped: finish or undo it first (the user already
        // confirmed that rotation); only an undone one leads to a new rotation.
        if let journal = try state.load(account: context.identity.account, user: context.user),
           let finished = try recover(journal, context) {
            return .rotated(finished)
        }
        let plan = try plan(context, pending: nil)
        guard confirm(plan) else { return .declined(plan) }
        return try rotate(context, plan: plan)
    }

    func makeContext() throws -> Context {
        let iamEndpoint = try session.endpoint(.iam)
        let stsEndpoint = try session.endpoint(.sts)
        let caller = try session.resolveCredentials().credentials
        let client = session.client(credentials: caller)
        let identity = try STSClient(client: client, endpoint: stsEndpoint).getCallerIdentity()
        let callerUser = IdentityARN.userName(identity.arn)
        guard let user = options.user ?? callerUser else {
            throw AWSError.configuration(ConfigurationError(
                "these credentials are not an IAM user's (\(identity.arn)); give --user NAME, the IAM user whose key to rotate"))
        }
        return Context(caller: caller.signing, identity: identity, user: user,
                       iam: IAMClient(client: client, endpoint: iamEndpoint), sts: stsEndpoint)
    }

    /// Works out the rotation, checking everything that can be checked before a change.
    func plan(_ c: Context, pending: RotationJournal?) throws -> RotationPlan {
        let keys = try c.iam.listAccessKeys(c.user)
        let editor = try CredentialsFileUpdate.read(session.files.credentialsPath)
        let file = session.files.credentialsPath
        let oldKey: AccessKeyMetadata
        if let own = keys.first(where: { $0.id == c.caller.accessKeyId }) {
            oldKey = own
        } else {
            let inFile = keys.filter { !editor.profiles(holding: $0.id).isEmpty }
            guard inFile.count == 1 else {
                let ids = keys.map(\.id).joined(separator: ", ")
                throw AWSError.configuration(ConfigurationError(inFile.isEmpty
                    ? "none of \(c.user)'s keys (\(ids.isEmpty ? "it has none" : ids)) is in \(file), so there is no profile to write a new key to; use credctl setup user to create one"
                    : "both of \(c.user)'s keys are in \(file); rotate one at a time with --profile naming a profile that holds it and signing as \(c.user)"))
            }
            oldKey = inFile[0]
        }
        let profiles = editor.profiles(holding: oldKey.id)
        guard !profiles.isEmpty else {
            throw AWSError.configuration(ConfigurationError(
                "key \(oldKey.id) of \(c.user) is not in \(file), so there is no profile to write its successor to; put the key in a profile there (or run credctl with --profile P for the profile that holds it)"))
        }
        if let config = session.files.config,
           let section = config.sections.first(where: { $0["aws_access_key_id"] == oldKey.id }) {
            throw AWSError.configuration(ConfigurationError(
                "key \(oldKey.id) is also in \(config.path) [\(section.name)], which credctl does not rewrite; move that profile's keys to \(file) first"))
        }
        do { try editor.checkRewritable(Set(profiles)) } catch {
            throw AWSError.configuration(ConfigurationError("\(error); nothing was changed"))
        }
        try fileUpdate.checkWritable()

        var otherToDelete: AccessKeyMetadata?
        if let other = keys.first(where: { $0.id != oldKey.id }), pending == nil {
            if other.status == .inactive || options.deleteOtherKey {
                otherToDelete = other
            } else {
                let age = other.created.map { " (created \(Timestamp.format($0)))" } ?? ""
                throw RotationError.refused("""
                    \(c.user) already has two access keys, and its other key \(other.id)\(age) is active: rotating needs room for a new key. \
                    Nothing was changed. If that key is no longer used (credctl keys list --user \(c.user) shows when it was last used), \
                    deactivate it or run again with --delete-other-key.
                    """)
            }
        }
        return RotationPlan(account: c.identity.account, user: c.user, oldKey: oldKey, profiles: profiles, credentialsFile: file,
                            otherKeyToDelete: otherToDelete, keepOldInactive: options.keepOldInactive, pendingJournal: pending)
    }

    func rotate(_ c: Context, plan: RotationPlan) throws -> RotationOutcome {
        var iam = c.iam
        if let other = plan.otherKeyToDelete {
            try iam.deleteAccessKey(other.id, userName: c.user)
            report("deleted the other key \(other.id) (\(other.status.rawValue))")
        }
        var journal = RotationJournal(account: plan.account, user: c.user, credentialsFile: plan.credentialsFile, profiles: plan.profiles,
                                      oldKeyId: plan.oldKey.id, keysBefore: [plan.oldKey.id], keepOldInactive: plan.keepOldInactive,
                                      step: .creating, started: WallClock.now())
        try state.save(journal)
        let newKey: NewAccessKey
        do { newKey = try createKey(iam, user: c.user, keysBefore: journal.keysBefore) } catch {
            state.remove(account: plan.account, user: c.user)
            throw error
        }
        report("created \(newKey.metadata.id)")
        journal.newKeyId = newKey.metadata.id
        journal.step = .created
        try state.save(journal)

        do {
            try fileUpdate.apply { editor in
                guard !editor.profiles(holding: plan.oldKey.id).isEmpty else {
                    throw AWSError.configuration(ConfigurationError("\(plan.credentialsFile) no longer holds \(plan.oldKey.id) (changed while rotating)"))
                }
                return try editor.replacingKey(plan.oldKey.id, with: newKey.metadata.id, secret: newKey.secretAccessKey)
            }
        } catch {
            // The secret never reached the file: the new key is useless, delete it.
            try? iam.deleteAccessKey(newKey.metadata.id, userName: c.user)
            state.remove(account: plan.account, user: c.user)
            throw RotationError.rolledBack("could not write \(plan.credentialsFile): \(error); the new key \(newKey.metadata.id) was deleted and the old key \(plan.oldKey.id) is unchanged")
        }
        report("wrote \(newKey.metadata.id) to \(plan.credentialsFile) (profile\(plan.profiles.count == 1 ? "" : "s") \(plan.profiles.joined(separator: ", ")))")
        journal.step = .written
        try state.save(journal)

        do {
            try verify(newKey.credentials, c)
        } catch let error as AWSError {
            if case .service(let e) = error, PropagationWait.notYetCodes.contains(e.code) {
                try rollBack(plan, newKey: newKey, iam: iam, user: c.user)
                throw RotationError.rolledBack("STS did not accept the new key within \(Int(options.propagationTimeout)) s (\(e.code)); rolled back: \(plan.profiles.joined(separator: ", ")) hold\(plan.profiles.count == 1 ? "s" : "") the old key \(plan.oldKey.id) again and the new key was deleted")
            }
            throw RotationError.incomplete(error, left: "\(plan.credentialsFile) holds the new key \(newKey.metadata.id), not yet proven; the old key \(plan.oldKey.id) is still active. Run credctl rotate again to finish.")
        }
        report("STS accepts \(newKey.metadata.id)")
        journal.step = .verified
        try state.save(journal)

        if c.caller.accessKeyId == plan.oldKey.id { iam = iam.with(credentials: newKey.credentials) }
        let oldState = try retire(plan.oldKey.id, iam: iam, user: c.user, journal: &journal, alreadyInactive: false)
        state.remove(account: plan.account, user: c.user)
        return .rotated(RotationResult(account: plan.account, user: c.user, oldKeyId: plan.oldKey.id, newKeyId: newKey.metadata.id,
                                       profiles: plan.profiles, credentialsFile: plan.credentialsFile, oldKeyState: oldState,
                                       finishedInterrupted: false))
    }

    /// CreateAccessKey is not idempotent, so it is never retried blindly: after a failure that
    /// may have created a key (a lost answer), any key not there before is deleted first.
    func createKey(_ iam: IAMClient, user: String, keysBefore: [String]) throws -> NewAccessKey {
        let once = iam.with(credentials: iam.credentials!, retryPolicy: RetryPolicy(maxAttempts: 1))
        let policy = session.retryPolicy
        var attempt = 1
        while true {
            do {
                return try once.createAccessKey(user)
            } catch {
                guard policy.retries(error), attempt < 3 else { throw error }
                report("iam:CreateAccessKey: \(error); checking whether a key was made before trying again")
                for key in try iam.listAccessKeys(user) where !keysBefore.contains(key.id) {
                    try iam.deleteAccessKey(key.id, userName: user)
                    report("deleted \(key.id): created by the failed attempt, its secret never arrived")
                }
                attempt += 1
            }
        }
    }

    /// GetCallerIdentity with the new key must name the same user in the same account.
    func verify(_ credentials: SigningCredentials, _ c: Context) throws {
        let sts = STSClient(client: session.client(signing: credentials), endpoint: c.sts)
        let identity = try wait.run("sts:GetCallerIdentity with the new key") { () throws(AWSError) in try sts.getCallerIdentity() }
        guard identity.account == c.identity.account, IdentityARN.userName(identity.arn) == c.user else {
            throw AWSError.invalidResponse(operation: "sts:GetCallerIdentity", detail: "the new key belongs to \(identity.arn), not \(c.user)")
        }
    }

    /// Deactivates, then (unless kept) deletes the old key; returns its final state.
    func retire(_ oldKeyId: String, iam: IAMClient, user: String, journal: inout RotationJournal, alreadyInactive: Bool) throws -> String {
        if !alreadyInactive {
            do throws(AWSError) {
                try wait.run("iam:UpdateAccessKey") { () throws(AWSError) in try iam.updateAccessKey(oldKeyId, status: .inactive, userName: user) }
            } catch {
                throw RotationError.incomplete(error, left: "\(journal.credentialsFile) holds the new, working key \(journal.newKeyId ?? ""); the old key \(oldKeyId) is still active. Run credctl rotate again to finish.")
            }
            report("deactivated \(oldKeyId)")
            journal.step = .deactivated
            try state.save(journal)
        }
        if journal.keepOldInactive { return "inactive" }
        do throws(AWSError) {
            try wait.run("iam:DeleteAccessKey") { () throws(AWSError) in try iam.deleteAccessKey(oldKeyId, userName: user) }
        } catch {
            throw RotationError.incomplete(error, left: "\(journal.credentialsFile) holds the new, working key \(journal.newKeyId ?? ""); the old key \(oldKeyId) is inactive but not deleted. Run credctl rotate again to finish.")
        }
        report("deleted \(oldKeyId)")
        return "deleted"
    }

    /// Puts the old key back in the file and deletes the new key.
    func rollBack(_ plan: RotationPlan, newKey: NewAccessKey, iam: IAMClient, user: String) throws {
        let backup = try? CredentialsFileEditor.load(path: fileUpdate.backupPath)
        guard let oldSecret = backup?.file.section(plan.profiles[0])?["aws_secret_access_key"],
              backup?.file.section(plan.profiles[0])?["aws_access_key_id"] == plan.oldKey.id else {
            throw RotationError.incomplete(.configuration(ConfigurationError("the backup \(fileUpdate.backupPath) no longer holds \(plan.oldKey.id)")),
                                           left: "\(plan.credentialsFile) holds the new key \(newKey.metadata.id), which STS refused; the old key \(plan.oldKey.id) is still active.")
        }
        try fileUpdate.apply { editor in
            try editor.replacingKey(newKey.metadata.id, with: plan.oldKey.id, secret: oldSecret)
        }
        try iam.deleteAccessKey(newKey.metadata.id, userName: user)
        state.remove(account: plan.account, user: user)
    }

    /// Finishes (when the file holds the new key) or undoes (when it does not) the rotation a
    /// journal describes. Returns the result when it finished one, nil when it undid one.
    func recover(_ journal: RotationJournal, _ c: Context) throws -> RotationResult? {
        var journal = journal
        report("found a rotation of \(c.user) interrupted at step '\(journal.step.rawValue)'")
        let keys = try c.iam.listAccessKeys(c.user)
        let editor = try CredentialsFileUpdate.read(journal.credentialsFile)
        let holders = journal.newKeyId.map(editor.profiles(holding:)) ?? []
        guard let newKeyId = journal.newKeyId, !holders.isEmpty,
              let secret = editor.file.section(holders[0])?["aws_secret_access_key"] else {
            // The new key's secret never reached the file: any key made by that run is useless.
            for key in keys where !journal.keysBefore.contains(key.id) && editor.profiles(holding: key.id).isEmpty {
                try c.iam.deleteAccessKey(key.id, userName: c.user)
                report("deleted \(key.id): created by the interrupted rotation, its secret never reached \(journal.credentialsFile)")
            }
            state.remove(account: journal.account, user: journal.user)
            return nil
        }
        let newCredentials = SigningCredentials(accessKeyId: newKeyId, secretAccessKey: secret, sessionToken: nil)
        do { try verify(newCredentials, c) } catch let error as AWSError {
            throw RotationError.incomplete(error, left: "\(journal.credentialsFile) holds the new key \(newKeyId), not yet proven; the old key \(journal.oldKeyId) is untouched. Run credctl rotate again to finish.")
        }
        report("STS accepts \(newKeyId)")
        var iam = c.iam
        if c.caller.accessKeyId == journal.oldKeyId { iam = iam.with(credentials: newCredentials) }
        var oldState = "deleted"
        if let old = keys.first(where: { $0.id == journal.oldKeyId }) {
            oldState = try retire(old.id, iam: iam, user: c.user, journal: &journal, alreadyInactive: old.status == .inactive)
        }
        state.remove(account: journal.account, user: journal.user)
        return RotationResult(account: journal.account, user: c.user, oldKeyId: journal.oldKeyId, newKeyId: newKeyId,
                              profiles: holders, credentialsFile: journal.credentialsFile, oldKeyState: oldState, finishedInterrupted: true)
    }
}
