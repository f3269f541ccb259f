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
            throw RotationError.refused("an interrupted rotation of \(c.user)\(journal.requested.isEmpty ? "" : " to \(journal.requested.joined(separator: ", "))") must be finished first: run credctl rotate\(rotation.options.user.map { " --user \($0)" } ?? "") \(again)\(journal.verifies ? " --verify-cmd …" : "") again; nothing was changed")
        }
        let keys: [AccessKeyMetadata]
        let destinations: [any KeyDestination]
        do {
            keys = try c.iam.listAccessKeys(c.user)
            destinations = try journal.destinations.map { r throws(AWSError) in try rotation.factory.make(try Self.spec(r.destination)) }
        } catch {
            throw RotationError.stopped(error, left: "the interrupted rotation is as it was; run credctl rotate again")
        }
        let made = keys.filter { !journal.keysBefore.contains($0.id) }.map(\.id)
        var holdings: [DestinationHolding] = []
        for (d, record) in zip(destinations, journal.destinations) {
            do { holdings.append(try d.holding(record: record)) } catch {
                throw RotationError.stopped(error, left: "the interrupted rotation is as it was; run credctl rotate again")
            }
        }
        let newKey = holdings.lazy.compactMap(\.pair).first { made.contains($0.id) }
        let oldKey = findOldKey(journal, destinations: destinations, holdings: holdings)

        if let newKey {
            var journal = journal
            journal.newKeyId = newKey.id
            var delivery = RotationDelivery(rotation: rotation, context: context, destinations: destinations, oldKey: oldKey,
                                            oldKeyId: journal.oldKeyId, verifyCommand: rotation.options.verifyCommand, journal: journal)
            return try delivery.finish(newKey, resumed: true)
        }
        try undo(journal, destinations: destinations, made: made, oldKey: oldKey)
        return nil
    }

    /// The new key's secret is lost: each destination that may hold it gets the old key back,
    /// then every key that run made is deleted.
    func undo(_ journal: RotationJournal, destinations: [any KeyDestination], made: [String], oldKey: AccessKeyPair?) throws {
        let c = context
        let holders = journal.holders
        for (d, record) in zip(destinations, journal.destinations).reversed() where record.mayHoldNewKey {
            for key in made {
                do { try d.restore(old: oldKey, newKeyId: key, user: c.user, record: record) } catch {
                    throw RotationError.stopped(error, left: "\(d.spec) may hold key \(key), made by the interrupted rotation, which is not deleted yet; the old key \(journal.oldKeyId) is active: run credctl rotate again")
                }
            }
            if !d.isReadable { report("ran \(DestinationFactory.label(d.spec)) with the old key \(journal.oldKeyId) again") }
        }
        for key in made {
            do { try rotation.deleteKey(key, iam: c.iam, c) } catch {
                throw RotationError.stopped(error, left: "\(holders.hold()) the old key \(journal.oldKeyId); key \(key), made by the interrupted rotation, is not deleted yet: run credctl rotate again")
            }
            report("deleted \(key): created by the interrupted rotation, its secret never reached \(holders.text)")
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
        do { return try DestinationSpec(parsing: text) } catch { throw .configuration(error) }
    }
}
