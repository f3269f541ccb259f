import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// One rotation, from the confirmed plan to the new key's creation; `RotationDelivery` takes it
/// from there (delivery, verification, retiring the old key, or the rollback).
struct RotationRun {
    let rotation: KeyRotation
    let context: KeyRotation.Context
    let plan: RotationPlan
    let destinations: [any KeyDestination]
    /// The old key's secret, read with the plan: a rollback never needs a backup file.
    let oldKey: AccessKeyPair?

    var c: KeyRotation.Context { context }
    var report: @Sendable (String) -> Void { rotation.report }
    var state: RotationState { rotation.state }
    var oldKeyId: String { plan.oldKey.id }

    func run() throws -> RotationOutcome {
        var journal = RotationJournal(account: plan.account, user: c.user, credentialsFile: plan.credentialsFile,
                                      requested: rotation.options.destinations.map(\.description), verifies: plan.verifyCommand != nil,
                                      destinations: destinations.map { DestinationRecord(destination: $0.spec.description) },
                                      oldKeyId: oldKeyId, keysBefore: [oldKeyId], keepOldInactive: plan.keepOldInactive,
                                      step: .creating, started: state.now())
        let holders = journal.holders
        if let other = plan.otherKeyToDelete {
            do { try rotation.deleteKey(other.id, iam: c.iam, c) } catch {
                throw RotationError.stopped(error, left: "nothing else was changed: \(holders.hold()) the old key \(oldKeyId), which is active; the other key \(other.id) may or may not have been deleted (credctl keys list --user \(c.user))")
            }
            report("deleted the other key \(other.id) (\(other.status.rawValue))")
        }
        // The journal must exist before the first key is made: without it a kill would leave an orphan no run knows of.
        do { try state.save(journal) } catch {
            throw RotationError.stopped(error, left: "no key was created: \(holders.hold("still holds", "still hold")) the old key \(oldKeyId), which is active")
        }

        let newKey = try createKey(keysBefore: journal.keysBefore, holders: holders)
        report("created \(newKey.metadata.id)")
        journal.newKeyId = newKey.metadata.id
        journal.step = .created
        state.saveBestEffort(journal, report: report)

        var delivery = RotationDelivery(rotation: rotation, context: context, destinations: destinations, oldKey: oldKey,
                                        oldKeyId: oldKeyId, verifyCommand: plan.verifyCommand, journal: journal)
        return .rotated(try delivery.finish(AccessKeyPair(id: newKey.metadata.id, secret: newKey.secretAccessKey), resumed: false))
    }

    /// CreateAccessKey at most once: after a lost answer any key that was not there before is
    /// deleted (its secret never arrived) before trying again. The journal stays until it is
    /// certain that no such key is left.
    func createKey(keysBefore: [String], holders: Holders) throws -> NewAccessKey {
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
                throw RotationError.stopped(error, left: "\(holders.hold("still holds", "still hold")) the old key \(oldKeyId), which is active; a key made by a lost CreateAccessKey answer may exist in IAM: run credctl rotate again to remove it")
            }
            state.remove(account: plan.account, user: c.user)
            throw RotationError.stopped(error, left: "no new key is left: \(holders.hold("still holds", "still hold")) the old key \(oldKeyId), which is active")
        }
    }
}
