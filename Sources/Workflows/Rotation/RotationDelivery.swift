import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// From a new key to the end of a rotation: the key written to each destination in turn (each
/// step journaled), proven against STS, checked by the `--verify-cmd`, then the old key retired.
/// Any failure before the old key is touched rolls everything back: each destination written
/// gets what it held before, the new key is deleted. Used by a fresh run and by the recovery
/// of an interrupted one (`resumed`: destinations that hold the new key already are skipped).
struct RotationDelivery {
    let rotation: KeyRotation
    let context: KeyRotation.Context
    let destinations: [any KeyDestination]
    /// The old key with its secret, when known.
    let oldKey: AccessKeyPair?
    let oldKeyId: String
    let verifyCommand: String?
    var journal: RotationJournal

    var c: KeyRotation.Context { context }
    var report: @Sendable (String) -> Void { rotation.report }
    var state: RotationState { rotation.state }
    var holders: Holders { journal.holders }

    mutating func finish(_ newKey: AccessKeyPair, resumed: Bool) throws -> RotationResult {
        rotation.factory.mask.add(newKey.secret)
        if let oldKey { rotation.factory.mask.add(oldKey.secret) }
        for index in destinations.indices {
            try deliver(newKey, to: index, resumed: resumed)
        }
        if journal.step < .written { journal.step = .written }
        state.saveBestEffort(journal, report: report)

        do throws(AWSError) {
            try rotation.verify(newKey.signing, c)
        } catch {
            // An interrupted rotation whose key STS does not know yet is left for the next run.
            if case .service(let e) = error, PropagationWait.notYetCodes.contains(e.code), !resumed {
                throw rollBack(newKey, because: "STS did not accept the new key within \(Int(rotation.options.propagationTimeout)) s (\(e.code))")
            }
            throw RotationError.stopped(error, left: "\(holders.hold()) the new key \(newKey.id), not yet proven; the old key \(oldKeyId) is \(resumed ? "untouched" : "still active"). Run credctl rotate again to finish.")
        }
        report("STS accepts \(newKey.id)")
        if let verifyCommand, journal.step < .verified {
            let verifier = rotation.factory.verifier(verifyCommand)
            do { try verifier.run(newKey, user: c.user, extraVariables: ["CREDCTL_NEW_ACCESS_KEY_ID": newKey.id]) } catch {
                throw rollBack(newKey, because: "--verify-cmd \(error)")
            }
            report("--verify-cmd passed")
        }
        if journal.step < .verified { journal.step = .verified }
        state.saveBestEffort(journal, report: report)

        var iam = c.iam
        if c.signsWith(oldKeyId, destinations: destinations) { iam = iam.signing(with: newKey.signing) }
        var oldState = OldKeyState.deleted
        if let old = try currentOldKey(iam) {
            oldState = try rotation.retire(old.id, iam: iam, c: c, journal: &journal, alreadyInactive: old.status == .inactive)
        }
        state.remove(account: journal.account, user: journal.user)
        return RotationResult(account: journal.account, user: c.user, oldKeyId: oldKeyId, newKeyId: newKey.id,
                              destinations: journal.destinations.map(\.destination), credentialsFile: journal.credentialsFile,
                              oldKeyState: oldState, finishedInterrupted: resumed)
    }

    /// The old key as IAM lists it now (nil when an earlier run deleted it already).
    func currentOldKey(_ iam: IAMClient) throws -> AccessKeyMetadata? {
        do { return try iam.listAccessKeys(c.user).first { $0.id == oldKeyId } } catch {
            throw RotationError.stopped(error, left: "\(holders.hold("holds the new, working key", "hold the new, working key")) \(journal.newKeyId ?? ""); the old key \(oldKeyId) is untouched. Run credctl rotate again to finish.")
        }
    }

    /// Writes the new key to one destination, journaled before and after; a failure rolls back.
    mutating func deliver(_ newKey: AccessKeyPair, to index: Int, resumed: Bool) throws {
        let d = destinations[index]
        var record = journal.destinations[index]
        if resumed {
            if d.isReadable, (try? d.holding(record: record))?.pair == newKey {
                record.state = .written
                journal.destinations[index] = record
                return
            }
            if !d.isReadable, record.state == .written { return }
        }
        do throws(AWSError) {
            try d.prepare(&record)
            record.state = .writing
            journal.destinations[index] = record
            state.saveBestEffort(journal, report: report)
            try d.write(newKey, replacing: oldKeyId, user: c.user, record: &record)
        } catch {
            journal.destinations[index] = record
            throw rollBack(newKey, because: d.writeFailure(error))
        }
        record.state = .written
        journal.destinations[index] = record
        state.saveBestEffort(journal, report: report)
        if case .profile(let p) = d.spec {
            report("wrote \(newKey.id) to \(journal.credentialsFile) (profile \(p))")
        } else {
            report("wrote \(newKey.id) to \(DestinationFactory.label(d.spec))")
        }
    }

    /// Puts the old key back wherever the new one may be (last written first, each from memory
    /// into the destination as it is now) and deletes the new key; the error to throw says how
    /// far that got.
    mutating func rollBack(_ newKey: AccessKeyPair, because reason: String) -> RotationError {
        var failures: [AWSError] = [], failedNames: [String] = [], restored: [String] = []
        for index in destinations.indices.reversed() where journal.destinations[index].mayHoldNewKey {
            let d = destinations[index]
            do {
                try d.restore(old: oldKey, newKeyId: newKey.id, user: c.user, record: journal.destinations[index])
                journal.destinations[index].state = .restored
                restored.insert(Self.name(d.spec), at: 0)
                state.saveBestEffort(journal, report: report)
            } catch {
                failures.insert(error, at: 0)
                failedNames.insert(Self.name(d.spec), at: 0)
            }
        }
        if let first = failures.first {
            // The error is the first failed restore's; the line under it says why and what is left.
            return .stopped(first, left: "rolling back after: \(reason); \(failedNames.joined(separator: ", ")) may still hold the new key \(newKey.id); the old key \(oldKeyId) is still active in IAM and the new key was not deleted. Run credctl rotate again.")
        }
        do { try rotation.deleteKey(newKey.id, iam: c.iam, c) } catch {
            return .stopped(error, left: "\(holders.hold()) the old key \(oldKeyId) again; the new key \(newKey.id) could not be deleted: the next credctl rotate deletes it")
        }
        state.remove(account: journal.account, user: journal.user)
        let names = restored.isEmpty ? destinations.map { Self.name($0.spec) } : restored
        return .rolledBack("\(reason); rolled back: \(names.joined(separator: ", ")) \(names.count == 1 ? "holds" : "hold") the old key \(oldKeyId) again and the new key was deleted",
                           left: "\(holders.hold()) the old key \(oldKeyId), which is active; the new key \(newKey.id) was deleted")
    }

    /// A destination in a rollback message: a profile by its name (as before destinations existed).
    static func name(_ spec: DestinationSpec) -> String {
        if case .profile(let p) = spec { return p }
        return DestinationFactory.label(spec)
    }
}
