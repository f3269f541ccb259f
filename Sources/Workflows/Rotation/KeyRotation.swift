import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// `credctl rotate`: replaces an IAM user's access key without ever leaving the credentials
/// file without a working key. See docs/rotation.md for the steps and the recovery rules.
///
/// The rules that keep that promise under faults: no call that is not idempotent is sent twice
/// blindly (`AtMostOnce` looks at the user's keys after a lost answer); the journal is written
/// before the first change and removed only when no key it may have created can be left over;
/// a rollback puts the old key back from memory into the file as it is now (never from a
/// backup another process may have replaced); and every stop says what is left.
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

    /// The caller, its clients, and the user to rotate.
    struct Context {
        var caller: SigningCredentials
        var identity: CallerIdentity
        var user: String
        var iam: IAMClient
        var sts: ResolvedEndpoint
        var atMostOnce: AtMostOnce
    }

    public func run(confirm: (RotationPlan) -> Bool) throws -> RotationOutcome {
        let context: Context
        do { context = try makeContext() } catch { throw Self.nothingChanged(error) }
        if options.dryRun {
            do {
                let pending = try state.load(account: context.identity.account, user: context.user)
                return .planned(try plan(context, pending: pending).plan)
            } catch { throw Self.nothingChanged(error) }
        }
        let lock: FileLock
        do {
            try state.prepare()
            lock = try state.lock(account: context.identity.account, user: context.user)
        } catch { throw Self.nothingChanged(error) }
        defer { lock.release() }

        // A journal means an earlier run was stopped: finish or undo it first (the user already
        // confirmed that rotation); only an undone one leads to a new rotation.
        let journal: RotationJournal?
        do { journal = try state.load(account: context.identity.account, user: context.user) } catch { throw Self.nothingChanged(error) }
        if let journal, let finished = try RotationRecovery(rotation: self, context: context).recover(journal) {
            return .rotated(finished)
        }
        let planned: (plan: RotationPlan, oldSecret: String)
        do { planned = try plan(context, pending: nil) } catch { throw Self.nothingChanged(error) }
        guard confirm(planned.plan) else { return .declined(planned.plan) }
        return try RotationRun(rotation: self, context: context, plan: planned.plan, oldSecret: planned.oldSecret).run()
    }

    /// An error from before any change, with the line that says so.
    static func nothingChanged(_ error: Error) -> Error {
        switch error {
        case let e as AWSError: return RotationError.stopped(e, left: "nothing was changed")
        case let e as ConfigFileError: return RotationError.stopped(.configuration(ConfigurationError(e.description)), left: "nothing was changed")
        default: return error
        }
    }

    func makeContext() throws(AWSError) -> Context {
        let iam = try session.iam()
        let sts = try session.sts()
        let stsEndpoint = try session.endpoint(.sts)
        let caller = try session.resolveCredentials().credentials
        let identity = try sts.getCallerIdentity()
        let callerUser = IdentityARN.userName(identity.arn)
        guard let user = options.user ?? callerUser else {
            throw .configuration(ConfigurationError(
                "these credentials are not an IAM user's (\(identity.arn)); give --user NAME, the IAM user whose key to rotate"))
        }
        return Context(caller: caller.signing, identity: identity, user: user, iam: iam, sts: stsEndpoint, atMostOnce: try session.atMostOnce())
    }

    /// Works out the rotation, checking everything that can be checked before a change; also
    /// returns the old key's secret, kept in memory for a rollback.
    func plan(_ c: Context, pending: RotationJournal?) throws -> (plan: RotationPlan, oldSecret: String) {
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
        guard !profiles.isEmpty, let oldSecret = editor.file.section(profiles[0])?["aws_secret_access_key"] else {
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
        let plan = RotationPlan(account: c.identity.account, user: c.user, oldKey: oldKey, profiles: profiles, credentialsFile: file,
                                otherKeyToDelete: otherToDelete, keepOldInactive: options.keepOldInactive, pendingJournal: pending)
        return (plan, oldSecret)
    }

    /// GetCallerIdentity with the new key must name the same user in the same account.
    func verify(_ credentials: SigningCredentials, _ c: Context) throws(AWSError) {
        let sts = STSClient(client: try session.client(signing: credentials), endpoint: c.sts)
        let identity = try wait.run("sts:GetCallerIdentity with the new key") { () throws(AWSError) in try sts.getCallerIdentity() }
        guard identity.account == c.identity.account, IdentityARN.userName(identity.arn) == c.user else {
            throw AWSError.invalidResponse(operation: "sts:GetCallerIdentity", detail: "the new key belongs to \(identity.arn), not \(c.user)")
        }
    }

    /// Deletes a key at most once: after a lost answer the user's keys are listed, and a key
    /// that is gone counts as deleted (as does NoSuchEntity on a retry).
    func deleteKey(_ keyId: String, iam: IAMClient, _ c: Context) throws(AWSError) {
        do {
            try c.atMostOnce.perform("iam:DeleteAccessKey \(keyId)", write: { () throws(AWSError) in
                try iam.deleteAccessKey(keyId, userName: c.user)
            }, check: { _ throws(AWSError) -> AtMostOnce.Check<Void> in
                try iam.listAccessKeys(c.user).contains { $0.id == keyId } ? .notLanded : .landed(())
            })
        } catch where error.isService(.noSuchEntity) {
            return
        }
    }

    /// Deactivates, then (unless kept) deletes the old key; returns its final state.
    func retire(_ oldKeyId: String, iam: IAMClient, c: Context, journal: inout RotationJournal, alreadyInactive: Bool) throws -> OldKeyState {
        let file = journal.credentialsFile
        let newKey = journal.newKeyId ?? "the new key"
        if !alreadyInactive {
            do throws(AWSError) {
                try wait.run("iam:UpdateAccessKey") { () throws(AWSError) in try iam.updateAccessKey(oldKeyId, status: .inactive, userName: c.user) }
            } catch {
                throw RotationError.stopped(error, left: "\(file) holds the new, working key \(newKey); the old key \(oldKeyId) is still active. Run credctl rotate again to finish.")
            }
            report("deactivated \(oldKeyId)")
            journal.step = .deactivated
            state.saveBestEffort(journal, report: report)
        }
        if journal.keepOldInactive { return .inactive }
        do throws(AWSError) {
            try wait.run("iam:DeleteAccessKey") { () throws(AWSError) in try deleteKey(oldKeyId, iam: iam, c) }
        } catch {
            throw RotationError.stopped(error, left: "\(file) holds the new, working key \(newKey); the old key \(oldKeyId) is inactive but not deleted. Run credctl rotate again to finish.")
        }
        report("deleted \(oldKeyId)")
        return .deleted
    }
}
