import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// One rotation, from the confirmed plan to the old key's deletion. Each stop after the first
/// change either undoes what was done (the old key back in the file, the new key deleted) or
/// says exactly what is left and that the next `credctl rotate` finishes it.
struct RotationRun {
    let rotation: KeyRotation
    let context: KeyRotation.Context
    let plan: RotationPlan
    /// The old key's secret, read with the plan: a rollback never needs a backup file.
    let oldSecret: String

    var c: KeyRotation.Context { context }
    var report: @Sendable (String) -> Void { rotation.report }
    var state: RotationState { rotation.state }
    var file: String { plan.credentialsFile }
    var oldKeyId: String { plan.oldKey.id }
    var profilesText: String { plan.profiles.joined(separator: ", ") }

    func run() throws -> RotationOutcome {
        var iam = c.iam
        if let other = plan.otherKeyToDelete {
            do { try rotation.deleteKey(other.id, iam: iam, c) } catch {
                throw RotationError.stopped(error, left: "nothing else was changed: \(file) still holds the old key \(oldKeyId), which is active; the other key \(other.id) may or may not have been deleted (credctl keys list --user \(c.user))")
            }
            report("deleted the other key \(other.id) (\(other.status.rawValue))")
        }
        let keysBefore = [oldKeyId]
        var journal = RotationJournal(account: plan.account, user: c.user, credentialsFile: file, profiles: plan.profiles,
                                      oldKeyId: oldKeyId, keysBefore: keysBefore, keepOldInactive: plan.keepOldInactive,
                                      step: .creating, started: WallClock.now())
        // The journal must exist before the first key is made: without it a kill would leave an orphan no run knows of.
        do { try state.save(journal) } catch {
            throw RotationError.stopped(error, left: "no key was created: \(file) still holds the old key \(oldKeyId), which is active")
        }

        let newKey = try createKey(keysBefore: keysBefore)
        report("created \(newKey.metadata.id)")
        journal.newKeyId = newKey.metadata.id
        journal.step = .created
        state.saveBestEffort(journal, report: report)

        do {
            try rotation.fileUpdate.apply { editor in
                guard !editor.profiles(holding: oldKeyId).isEmpty else {
                    throw AWSError.configuration(ConfigurationError("\(file) no longer holds \(oldKeyId) (changed while rotating)"))
                }
                return try editor.replacingKey(oldKeyId, with: newKey.metadata.id, secret: newKey.secretAccessKey)
            }
        } catch {
            // The secret never reached the file: the new key is useless, delete it.
            throw rollBack(newKey, fileHoldsNewKey: false, because: "could not write \(file): \(error)")
        }
        report("wrote \(newKey.metadata.id) to \(file) (profile\(plan.profiles.count == 1 ? "" : "s") \(profilesText))")
        journal.step = .written
        state.saveBestEffort(journal, report: report)

        do {
            try rotation.verify(newKey.credentials, c)
        } catch {
            if case .service(let e) = error, PropagationWait.notYetCodes.contains(e.code) {
                throw rollBack(newKey, fileHoldsNewKey: true,
                               because: "STS did not accept the new key within \(Int(rotation.options.propagationTimeout)) s (\(e.code))")
            }
            throw RotationError.stopped(error, left: "\(file) holds the new key \(newKey.metadata.id), not yet proven; the old key \(oldKeyId) is still active. Run credctl rotate again to finish.")
        }
        report("STS accepts \(newKey.metadata.id)")
        journal.step = .verified
        state.saveBestEffort(journal, report: report)

        if c.caller.accessKeyId == oldKeyId { iam = iam.signing(with: newKey.credentials) }
        let oldState = try rotation.retire(oldKeyId, iam: iam, c: c, journal: &journal, alreadyInactive: false)
        state.remove(account: plan.account, user: c.user)
        return .rotated(RotationResult(account: plan.account, user: c.user, oldKeyId: oldKeyId, newKeyId: newKey.metadata.id,
                                       profiles: plan.profiles, credentialsFile: file, oldKeyState: oldState, finishedInterrupted: false))
    }

    /// CreateAccessKey at most once: after a lost answer any key that was not there before is
    /// deleted (its secret never arrived) before trying again. The journal stays until it is
    /// certain that no such key is left.
    func createKey(keysBefore: [String]) throws -> NewAccessKey {
        // Set while a lost answer's key may exist and has not been found and deleted yet.
        var orphanPossible = false
        do {
            let key = try c.atMostOnce.perform("iam:CreateAccessKey", write: { () throws(AWSError) -> NewAccessKey in
                try c.iam.createAccessKey(c.user)
            }, check: { error throws(AWSError) -> AtMostOnce.Check<NewAccessKey> in
                orphanPossible = true
                report("iam:CreateAccessKey: \(error); checking whether a key was made before trying again")
                for key in try c.iam.listAccessKeys(c.user) where !keysBefore.contains(key.id) {
                    try rotation.deleteKey(key.id, iam: c.iam, c)
                    report("deleted \(key.id): created by the failed attempt, its secret never arrived")
                }
                orphanPossible = false
                return .notLanded
            })
            return key
        } catch {
            if orphanPossible {
                throw RotationError.stopped(error, left: "\(file) still holds the old key \(oldKeyId), which is active; a key made by a lost CreateAccessKey answer may exist in IAM: run credctl rotate again to remove it")
            }
            state.remove(account: plan.account, user: c.user)
            throw RotationError.stopped(error, left: "no new key is left: \(file) still holds the old key \(oldKeyId), which is active")
        }
    }

    /// Puts the old key back (from memory, into the file as it is now, keeping every other
    /// change) and deletes the new key; the error to throw says how far that got.
    func rollBack(_ newKey: NewAccessKey, fileHoldsNewKey: Bool, because reason: String) -> RotationError {
        let newId = newKey.metadata.id
        if fileHoldsNewKey {
            do {
                try rotation.fileUpdate.apply { editor in
                    guard !editor.profiles(holding: newId).isEmpty else { return nil }
                    return try editor.replacingKey(newId, with: oldKeyId, secret: oldSecret)
                }
            } catch {
                return .stopped(.configuration(ConfigurationError("\(reason); putting the old key back failed: \(error)")),
                                left: "\(file) holds the new key \(newId), which STS refused; the old key \(oldKeyId) is still active in IAM. Run credctl rotate again.")
            }
        }
        do { try rotation.deleteKey(newId, iam: c.iam, c) } catch {
            return .stopped(error, left: "\(file) holds the old key \(oldKeyId) again; the new key \(newId) could not be deleted: the next credctl rotate deletes it")
        }
        state.remove(account: plan.account, user: c.user)
        let holders = plan.profiles.count == 1 ? "holds" : "hold"
        return .rolledBack("\(reason); rolled back: \(profilesText) \(holders) the old key \(oldKeyId) again and the new key was deleted",
                           left: "\(file) holds the old key \(oldKeyId), which is active; the new key \(newId) was deleted")
    }
}
