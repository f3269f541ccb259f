import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// Finishes or undoes the rotation a journal describes, from what IAM and the destinations hold
/// now (the journal's steps are hints, never trusted over them). When a destination credctl can
/// read holds a key that run made, its secret is known: the rotation is finished — the key
/// delivered where it is missing, proven, verified, the old key retired. Otherwise the new
/// key's secret is lost: every destination that may hold it gets the old key back and every
/// key that run made is deleted, after which a new rotation may start.
struct RotationRecovery {
    let rotation: KeyRotation
    let context: KeyRotation.Context

    var report: @Sendable (String) -> Void { rotation.report }

    /// The result when it finished a rotation, nil when it undid one.
    func recover(_ journal: RotationJournal) throws -> RotationResult? {
        let c = context
        report("found a rotation of \(c.user) interrupted at step '\(journal.step.rawValue)'")
        let asked = rotation.options.destinations.map(\.description)
        guard asked == journal.requested, (rotation.options.verifyCommand != nil) == journal.verifies else {
            let again = journal.requested.map { "--to '\($0)'" }.joined(separator: " ")
            throw RotationError.refused("an interrupted rotation of \(c.user)\(journal.requested.isEmpty ? "" : " to \(journal.requested.joined(separator: ", "))") must be finished first: run credctl rotate\(rotation.options.user.map { " --user \($0)" } ?? "") \(again)\(journal.verifies ? " --verify-cmd …" : "") again (or credctl rotate\(rotation.options.user.map { " --user \($0)" } ?? "") --abandon to undo it without running its commands); nothing was changed")
        }
        let found = try look(journal)
        if let newKey = found.newKey {
            var journal = journal
            journal.newKeyId = newKey.id
            var delivery = RotationDelivery(rotation: rotation, context: context, destinations: found.destinations, oldKey: found.oldKey,
                                            oldKeyId: journal.oldKeyId, verifyCommand: rotation.options.verifyCommand, journal: journal)
            return try delivery.finish(newKey, resumed: true)
        }
        let made = try keysToDelete(journal, found: found, abandoning: false)
        try undo(journal, destinations: found.destinations, made: made, oldKey: found.oldKey, runCommands: true)
        return nil
    }

    /// `rotate --abandon`: undoes the interrupted rotation whatever it reached, without running
    /// its commands again (they are named instead); keys it cannot be proven to have made are kept.
    func abandon(_ journal: RotationJournal) throws -> AbandonedRotation {
        report("abandoning the rotation of \(context.user) interrupted at step '\(journal.step.rawValue)'")
        let found = try look(journal)
        let made = try keysToDelete(journal, found: found, abandoning: true)
        try undo(journal, destinations: found.destinations, made: made, oldKey: found.oldKey, runCommands: false)
        let kept = found.unlisted.map(\.id).filter { !made.contains($0) }
        let notRun = zip(found.destinations, journal.destinations).filter { !$0.0.isReadable && $0.1.mayHoldNewKey }.map { "\($0.0.spec)" }
        return AbandonedRotation(user: context.user, oldKeyId: journal.oldKeyId, deleted: made, kept: kept, commandsNotRun: notRun)
    }

    /// What IAM and the destinations hold now.
    struct Found {
        var keys: [AccessKeyMetadata]
        var destinations: [any KeyDestination]
        /// The user's keys the journal did not list as existing before.
        var unlisted: [AccessKeyMetadata]
        /// The run's new key, in a destination credctl can read (its secret is known).
        var newKey: AccessKeyPair?
        var oldKey: AccessKeyPair?
    }

    func look(_ journal: RotationJournal) throws -> Found {
        let c = context
        let keys: [AccessKeyMetadata]
        let destinations: [any KeyDestination]
        var holdings: [DestinationHolding] = []
        do {
            keys = try c.iam.listAccessKeys(c.user)
            destinations = try journal.destinations.map { r throws(AWSError) in try rotation.factory.make(try Self.spec(r.destination)) }
            for (d, record) in zip(destinations, journal.destinations) { holdings.append(try d.holding(record: record)) }
        } catch {
            throw RotationError.stopped(error, left: "the interrupted rotation is as it was; run credctl rotate again")
        }
        let unlisted = keys.filter { !journal.keysBefore.contains($0.id) }
        let authorship = KeyAuthorship(journal: journal)
        // Only a key the run can have made is taken as its new key, wherever it is found.
        let newKey = holdings.lazy.compactMap(\.pair).first { pair in
            unlisted.contains { $0.id == pair.id && authorship.reasonNotMade($0) == nil }
        }
        let oldKey = findOldKey(journal, destinations: destinations, holdings: holdings)
        if let oldKey { rotation.factory.mask.add(oldKey.secret) }
        return Found(keys: keys, destinations: destinations, unlisted: unlisted, newKey: newKey, oldKey: oldKey)
    }

    /// The keys an undo deletes: those the interrupted run is proven to have made (by the
    /// journal and their creation time; a key the journal does not name, also by never having
    /// been used). Any other key the journal did not list stops the undo, naming it, unless
    /// abandoning (then it is kept). And the old key must be active: an undo never leaves the
    /// user without a working key.
    func keysToDelete(_ journal: RotationJournal, found: Found, abandoning: Bool) throws -> [String] {
        let c = context
        guard let old = found.keys.first(where: { $0.id == journal.oldKeyId }), old.status == .active else {
            let state = found.keys.contains { $0.id == journal.oldKeyId } ? "inactive" : "no longer in IAM"
            throw RotationError.refused("the interrupted rotation of \(c.user) cannot be undone: its old key \(journal.oldKeyId) is \(state), so undoing it would leave \(c.user) without a working key, and no destination credctl can read holds its new key; check the keys with credctl keys list --user \(c.user); nothing was changed")
        }
        let authorship = KeyAuthorship(journal: journal)
        var made: [String] = [], foreign: [String] = []
        for key in found.unlisted {
            if let reason = authorship.reasonNotMade(key) { foreign.append("\(key.id) (\(reason))"); continue }
            if journal.newKeyId == nil {
                let use: AccessKeyLastUse
                do { use = try c.iam.getAccessKeyLastUsed(key.id).lastUse } catch {
                    throw RotationError.stopped(error, left: "nothing was changed: key \(key.id) was not deleted, since whether it was ever used is not known")
                }
                if let date = use.date {
                    foreign.append("\(key.id) (used \(Timestamp.format(date))\(use.service.map { " by \($0)" } ?? ""), so its secret reached someone: not a key the interrupted rotation lost)")
                    continue
                }
            }
            made.append(key.id)
        }
        if !foreign.isEmpty && !abandoning {
            throw RotationError.refused("the interrupted rotation of \(c.user) did not make key \(foreign.joined(separator: "; key ")): it is not deleted. Nothing was changed. If it is someone's, keep it and run credctl rotate\(rotation.options.user.map { " --user \($0)" } ?? "") --abandon to drop the interrupted rotation")
        }
        return made
    }

    /// The new key's secret is lost (or the rotation is abandoned): each destination that may
    /// hold it gets the old key back — a command only when `runCommands` — then every key that
    /// run is proven to have made is deleted.
    func undo(_ journal: RotationJournal, destinations: [any KeyDestination], made: [String], oldKey: AccessKeyPair?, runCommands: Bool) throws {
        let c = context
        let holders = journal.holders
        for (d, record) in zip(destinations, journal.destinations).reversed() where record.mayHoldNewKey {
            if !d.isReadable && !runCommands {
                report("not running \(DestinationFactory.label(d.spec)) again: it may hold \(journal.newKeyId ?? "the new key"); give it the old key \(journal.oldKeyId) yourself")
                continue
            }
            for key in made {
                do { try d.restore(old: oldKey, newKeyId: key, user: c.user, record: record) } catch {
                    throw RotationError.stopped(error, left: "\(d.spec) may hold key \(key), made by the interrupted rotation, which is not deleted yet; the old key \(journal.oldKeyId) is active: run credctl rotate again\(runCommands ? " (or credctl rotate --abandon)" : "")")
                }
            }
            if !d.isReadable { report("ran \(DestinationFactory.label(d.spec)) with the old key \(journal.oldKeyId) again") }
        }
        for key in made {
            do { try rotation.deleteKey(key, iam: c.iam, c) } catch {
                throw RotationError.stopped(error, left: "\(holders.hold()) the old key \(journal.oldKeyId); key \(key), made by the interrupted rotation, is not deleted yet: run credctl rotate again")
            }
            report(runCommands ? "deleted \(key): created by the interrupted rotation, its secret never reached \(holders.text)"
                               : "deleted \(key): created by the abandoned rotation")
        }
        rotation.state.remove(account: journal.account, user: journal.user)
    }

    /// The old key's secret: where it is in hand (the credentials in use, a destination that
    /// still holds it, the credentials file), else what a store keeps of the value it replaced
    /// (a secret's version, a parameter's history).
    func findOldKey(_ journal: RotationJournal, destinations: [any KeyDestination], holdings: [DestinationHolding]) -> AccessKeyPair? {
        let id = journal.oldKeyId
        if let known = context.knownKey(id, held: holdings, editor: try? CredentialsFileUpdate.read(journal.credentialsFile)) { return known }
        for (d, record) in zip(destinations, journal.destinations) {
            if let previous = try? d.previousKey(record: record), previous.id == id { return previous }
        }
        return nil
    }

    static func spec(_ text: String) throws(AWSError) -> DestinationSpec {
        do { return try DestinationSpec(parsing: text) } catch { throw error.awsError }
    }
}
