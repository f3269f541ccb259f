import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// `credctl rotate`: replaces an IAM user's access key in every place it is used (profiles of
/// the credentials file, the vault, Secrets Manager, Parameter Store, a delivery command) without
/// ever leaving one of them without a working key. See docs/rotation.md for the steps and the
/// recovery rules.
///
/// The rules that keep that promise under faults: no call that is not idempotent is sent twice
/// blindly (`AtMostOnce` looks at the user's keys after a lost answer); the journal is written
/// before the first change and removed only when no key it may have created can be left over;
/// the old key stays active until every destination holds the new key and it is verified; a
/// rollback puts the old key back from memory (never from a backup another process may have
/// replaced); and every stop says what is left.
public struct KeyRotation: Sendable {
    public let session: AWSSession
    public let options: RotationOptions
    public let state: RotationState
    /// Step lines (stderr).
    public let report: @Sendable (String) -> Void
    /// A running line while it waits (a terminal only).
    public let progress: @Sendable (String) -> Void

    /// Makes the destinations; one per run, so a vault passphrase is asked at most once.
    let factory: DestinationFactory

    /// `wallClock`: seconds since 1970, for the journal's times (a fake account's clock in tests).
    public init(session: AWSSession, options: RotationOptions, report: @escaping @Sendable (String) -> Void,
                progress: @escaping @Sendable (String) -> Void = { _ in }, wallClock: @escaping @Sendable () -> Int = { WallClock.now() }) {
        self.session = session
        self.options = options
        self.state = RotationState.standard(session.environment, now: wallClock)
        self.report = report
        self.progress = progress
        self.factory = DestinationFactory(session: session, state: state, commandTimeout: options.commandTimeout, report: report)
    }

    var wait: PropagationWait { PropagationWait(timeout: options.propagationTimeout, clock: session.time, onWait: report, progress: progress) }

    /// The caller, its clients, and the user to rotate.
    struct Context {
        var caller: SigningCredentials
        /// The vault profile the caller's credentials come from (session credentials of a vault key).
        var callerVaultProfile: String?
        var identity: CallerIdentity
        var user: String
        var iam: IAMClient
        var sts: ResolvedEndpoint
        var atMostOnce: AtMostOnce

        /// A key's secret where it is in hand: the credentials in use, a destination that holds
        /// it, or a profile of the credentials file.
        func knownKey(_ keyId: String, held: [DestinationHolding], editor: CredentialsFileEditor?) -> AccessKeyPair? {
            if caller.accessKeyId == keyId { return AccessKeyPair(id: keyId, secret: caller.secretAccessKey) }
            if let pair = held.lazy.compactMap(\.pair).first(where: { $0.id == keyId }) { return pair }
            guard let editor else { return nil }
            return editor.profiles(holding: keyId).lazy.compactMap { editor.file.section($0)?["aws_secret_access_key"] }.first
                .map { AccessKeyPair(id: keyId, secret: $0) }
        }

        /// Whether the caller signs with `keyId` (directly, or through a vault session of it).
        func signsWith(_ keyId: String, destinations: [any KeyDestination]) -> Bool {
            caller.accessKeyId == keyId || callerVaultProfile.map { p in destinations.contains { $0.spec == .vault(p) } } ?? false
        }
    }

    public func run(confirm: (RotationPlan) -> Bool) throws -> RotationOutcome {
        let context: Context
        do { context = try makeContext() } catch { throw Self.nothingChanged(error) }
        if options.dryRun {
            do {
                let pending = try state.load(account: context.identity.account, user: context.user)
                return .planned(try RotationPlanning(rotation: self, context: context).plan(pending: pending).plan)
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
        if options.abandon {
            guard let journal else { throw RotationError.refused("there is no interrupted rotation of \(context.user) to abandon; nothing was changed") }
            return .abandoned(try RotationRecovery(rotation: self, context: context).abandon(journal))
        }
        if let journal, let finished = try RotationRecovery(rotation: self, context: context).recover(journal) {
            return .rotated(finished)
        }
        let planned: RotationPlanning.Planned
        do { planned = try RotationPlanning(rotation: self, context: context).plan(pending: nil) } catch { throw Self.nothingChanged(error) }
        guard confirm(planned.plan) else { return .declined(planned.plan) }
        return try RotationRun(rotation: self, context: context, plan: planned.plan, destinations: planned.destinations,
                               oldKey: planned.oldKey).run()
    }

    /// An error from before any change, with the line that says so.
    static func nothingChanged(_ error: Error) -> Error {
        switch error {
        case let e as AWSError: return RotationError.stopped(e, left: e.description.hasSuffix("nothing was changed") ? "" : "nothing was changed")
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
        factory.mask.add(caller.signing.secretAccessKey)
        let vaultProfile = caller.provenance.provider == .vault ? caller.provenance.profile : nil
        // A vault profile signs with session credentials, which IAM refuses without MFA: the
        // rotation of its own key signs its IAM calls with the long-term key, as aws-vault does.
        var signing = caller.signing
        var iamClient = iam
        if let vaultProfile, options.user == nil || options.user == callerUser {
            guard case .key(let entry) = try factory.make(.vault(vaultProfile)).holding() else {
                throw .configuration(ConfigurationError("vault profile \(vaultProfile) holds no key"))
            }
            signing = entry.signing
            factory.mask.add(signing.secretAccessKey)
            iamClient = iam.signing(with: signing)
        }
        return Context(caller: signing, callerVaultProfile: vaultProfile, identity: identity, user: user, iam: iamClient, sts: stsEndpoint,
                       atMostOnce: try session.atMostOnce())
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
                // Looked at with the same keys as the delete: the caller's own may be the one deleted.
                try iam.listAccessKeys(c.user).contains { $0.id == keyId } ? .notLanded : .landed(())
            })
        } catch where error.isService(.noSuchEntity) {
            return
        }
    }

    /// Deactivates, then (unless kept) deletes the old key; returns its final state.
    func retire(_ oldKeyId: String, iam: IAMClient, c: Context, journal: inout RotationJournal, alreadyInactive: Bool) throws -> OldKeyState {
        let holders = journal.holders.hold("holds the new, working key", "hold the new, working key")
        let newKey = journal.newKeyId ?? "the new key"
        if !alreadyInactive {
            do throws(AWSError) {
                try wait.run("iam:UpdateAccessKey") { () throws(AWSError) in try iam.updateAccessKey(oldKeyId, status: .inactive, userName: c.user) }
            } catch {
                throw RotationError.stopped(error, left: "\(holders) \(newKey); the old key \(oldKeyId) is still active. Run credctl rotate again to finish.")
            }
            report("deactivated \(oldKeyId)")
            journal.step = .deactivated
            state.saveBestEffort(journal, report: report)
        }
        if journal.keepOldInactive { return .inactive }
        do throws(AWSError) {
            try wait.run("iam:DeleteAccessKey") { () throws(AWSError) in try deleteKey(oldKeyId, iam: iam, c) }
        } catch {
            throw RotationError.stopped(error, left: "\(holders) \(newKey); the old key \(oldKeyId) is inactive but not deleted. Run credctl rotate again to finish.")
        }
        report("deleted \(oldKeyId)")
        return .deleted
    }
}
