import AWSClients
import AWSCore

/// What must hold of a journal before anything is done with it. A journal is a file another
/// process (or a disk, or a person) may have damaged: one that breaks a rule is refused as
/// unreadable, with nothing changed, rather than trusted into deleting a key.
extension RotationJournal {
    /// Why this journal cannot be the record of a rotation of `user` in `account`, or nil.
    func inconsistency(account expectedAccount: String, user expectedUser: String) -> String? {
        if account != expectedAccount || user != expectedUser {
            return "it is for user \(user) of account \(account), not \(expectedUser) of \(expectedAccount)"
        }
        for id in keysBefore + [oldKeyId] + (newKeyId.map { [$0] } ?? []) where !Self.isAccessKeyId(id) {
            return "\(PrintableText.escaped(String(id.prefix(24)))) is not an access key id"
        }
        if !keysBefore.contains(oldKeyId) { return "the old key \(oldKeyId) is not among the keys it lists as existing before" }
        if Set(keysBefore).count != keysBefore.count || keysBefore.count > 2 { return "its list of the keys before is not a user's (at most two, each once)" }
        switch (step, newKeyId) {
        case (.creating, .some(let id)): return "it names a new key \(id) at step 'creating', before any key was made"
        case (.creating, nil): break
        case (_, nil): return "it names no new key at step '\(step.rawValue)'"
        case (_, .some(let id)):
            if id == oldKeyId { return "its new key is its old key \(id)" }
            if keysBefore.contains(id) { return "its new key \(id) is among the keys that existed before it" }
        }
        if started <= 0 { return "it does not say when it began" }
        return destinationInconsistency()
    }

    /// The destinations: named once each, as the command line named them, in states the step allows.
    func destinationInconsistency() -> String? {
        guard !destinations.isEmpty else { return "it lists no destination" }
        var specs: [DestinationSpec] = []
        for record in destinations {
            guard let spec = try? DestinationSpec(parsing: record.destination), spec.description == record.destination else {
                return "destination \(PrintableText.escaped(String(record.destination.prefix(40)))) is not one credctl writes"
            }
            specs.append(spec)
        }
        if Set(specs).count != specs.count { return "a destination is listed twice" }
        if !requested.isEmpty, requested != destinations.map(\.destination) { return "its destinations are not the ones asked for" }
        if requested.isEmpty, specs.contains(where: { if case .profile = $0 { return false }; if case .vault = $0 { return false }; return true }) {
            return "a destination other than a profile or vault entry was not asked for"
        }
        for (spec, record) in zip(specs, destinations) {
            if let reason = Self.stateInconsistency(record, spec: spec, step: step) { return "\(record.destination): \(reason)" }
        }
        return nil
    }

    static func stateInconsistency(_ record: DestinationRecord, spec: DestinationSpec, step: Step) -> String? {
        switch step {
        case .creating where record.state != .pending:
            return "state '\(record.state.rawValue)' before the new key existed"
        case .written where record.state != .written && record.state != .restored,
             .verified where record.state != .written, .deactivated where record.state != .written:
            return "state '\(record.state.rawValue)' at step '\(step.rawValue)', when every destination held the new key"
        default: break
        }
        let isSecret: Bool, isPath: Bool
        switch spec {
        case .secretsManager: (isSecret, isPath) = (true, false)
        case .parameterStore: (isSecret, isPath) = (false, true)
        default: (isSecret, isPath) = (false, false)
        }
        if !isSecret, record.secretVersionBefore != nil || record.secretVersionWritten != nil { return "secret versions on a destination that is no secret" }
        if !isPath, record.parameterVersionsBefore != nil { return "parameter versions on a destination that is no path" }
        if isPath, let versions = record.parameterVersionsBefore, versions.count != 2 || versions.contains(where: { $0 < 1 }) {
            return "parameter versions that are not two version numbers"
        }
        if isSecret, record.state != .pending, record.secretVersionWritten == nil { return "a write begun without its request token" }
        return nil
    }

    /// `AKIA` and 12 to 124 more capital letters and digits: a long-term key id.
    static func isAccessKeyId(_ id: String) -> Bool {
        KeyType(accessKeyId: id) == .longTerm && (16...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) }
    }
}

/// Which of a user's keys the interrupted rotation of a journal can be proven to have made. IAM
/// does not say who made a key, so a key the journal did not list is blamed on the interrupted
/// run only when it could be that run's: created after the journal was begun and before the run
/// could have been abandoned (a run makes its key right after it writes its journal, so within
/// `creationWindow` of `Started`), and — when it is to be deleted as an orphan whose secret
/// never arrived, the journal not naming it — never used. Anything else is someone else's key.
struct KeyAuthorship {
    let journal: RotationJournal

    /// IAM's clock and this machine's may differ: a creation time is allowed this far outside.
    static let clockAllowance = 300
    /// A `CreateAccessKey` with all its retries ends well within this after the journal is begun.
    static let creationWindow = 900

    /// The first and last second at which the interrupted run could have made a key.
    var window: ClosedRange<Int> {
        (journal.started - Self.clockAllowance)...(journal.started + Self.creationWindow + Self.clockAllowance)
    }

    /// Why `key` cannot be the interrupted run's (nil: it can be, by its creation time).
    func reasonNotMade(_ key: AccessKeyMetadata) -> String? {
        if let named = journal.newKeyId, named != key.id { return "the interrupted rotation made \(named), not this key" }
        guard let created = key.created else { return "IAM gives no creation time for it" }
        guard window.contains(created) else {
            return "it was created \(Timestamp.format(created)), \(created < window.lowerBound ? "before" : "after") the interrupted rotation (begun \(Timestamp.format(journal.started))) could have made it"
        }
        return nil
    }
}
