import AWSClients
import AWSConfig
import AWSCore
import Testing
import TransportTesting
@testable import Workflows

/// A key is blamed on an interrupted rotation only when it could be that run's; otherwise the
/// next run refuses, names the key and deletes nothing. `rotate --abandon` undoes a rotation
/// without running its commands and keeps keys it cannot prove it made.
struct RotationAuthorshipTests {
    /// A key of alice made `after` seconds after the journal began, used (signed a call) or not.
    func otherKey(_ w: RotationWorld, after seconds: Int, used: Bool) throws -> FakeIAM.Key {
        w.fake.iam.advanceClock(seconds)
        let key = try #require(w.fake.iam.key(w.fake.iam.addKey(user: w.user).accessKeyId))
        if used { try use(key, w.fake) }
        return key
    }

    func use(_ key: FakeIAM.Key, _ fake: FakeAWS) throws {
        let sts = STSClient(client: AWSClient(core: ClientCore(transport: fake), keys: FixedSigningKeys(key.credentials)),
                            endpoint: ResolvedEndpoint(url: RequestURL(scheme: "https", host: "sts.amazonaws.com"), signingRegion: "us-east-1", source: "test"))
        _ = try sts.getCallerIdentity()
    }

    /// The file, the keys and the journal as they were.
    func expectNothingChanged(_ w: RotationWorld, keys: [FakeIAM.Key], journal: RotationJournal?, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(w.keyIds == keys.map(\.id) && w.keys.map(\.status) == keys.map(\.status), sourceLocation: sourceLocation)
        #expect(w.home.credentials == w.originalFile && w.journal == journal, sourceLocation: sourceLocation)
        #expect(w.fake.requests("DeleteAccessKey").isEmpty && w.fake.requests("CreateAccessKey").isEmpty, sourceLocation: sourceLocation)
    }

    /// The issue's instance: killed inside CreateAccessKey (journal at `creating`), then an
    /// administrator makes a key for CI, which CI uses.
    @Test func aKeyMadeForCIAfterTheRunDiedIsNotDeleted() throws {
        let w = RotationWorld()
        try w.saveJournal(.creating)
        let journal = w.journal
        let ci = try otherKey(w, after: 7200, used: true)
        guard case .refused(let message)? = rotationError(w.rotate()) else { Issue.record("expected a refusal"); return }
        #expect(message.hasPrefix("the interrupted rotation of alice did not make key \(ci.id) (it was created \(Timestamp.format(ci.created)), after the interrupted rotation (begun 2026-01-01T00:00:00Z) could have made it): it is not deleted. Nothing was changed."))
        #expect(message.hasSuffix("run credctl rotate --abandon to drop the interrupted rotation"))
        expectNothingChanged(w, keys: [w.oldKey, ci], journal: journal)
    }

    @Test func aKeyMadeInTheRunsTimeButUsedIsNotDeleted() throws {
        let w = RotationWorld()
        try w.saveJournal(.creating)
        let ci = try otherKey(w, after: 0, used: true)
        let journal = w.journal
        guard case .refused(let message)? = rotationError(w.rotate()) else { Issue.record("expected a refusal"); return }
        #expect(message.contains("did not make key \(ci.id) (used \(Timestamp.format(ci.created)) by sts, so its secret reached someone"))
        expectNothingChanged(w, keys: [w.oldKey, ci], journal: journal)
    }

    @Test func aKeyMadeBeforeTheJournalIsNotTheRunsNewKey() throws {
        let w = RotationWorld()
        let older = try otherKey(w, after: 0, used: false)
        // A journal begun two hours after that key, which names it as its new key.
        w.fake.iam.advanceClock(7200)
        try w.state.prepare()
        var journal = w.journal(.created, newKeyId: older.id)
        journal.started = w.fake.iam.now
        try w.state.save(journal)
        let saved = w.journal
        guard case .refused(let message)? = rotationError(w.rotate()) else { Issue.record("expected a refusal"); return }
        #expect(message.contains("did not make key \(older.id) (it was created \(Timestamp.format(older.created)), before the interrupted rotation"))
        expectNothingChanged(w, keys: [w.oldKey, older], journal: saved)
    }

    /// The issue's second instance: `KeysBefore: []` at step `created` made the old key count as new.
    @Test func aJournalWithoutTheOldKeyInItsKeysBeforeIsRefused() throws {
        let w = RotationWorld()
        try w.state.prepare()
        let made = try otherKey(w, after: 60, used: false)
        try w.state.save(w.journal(.created, newKeyId: made.id, keysBefore: []))
        let saved = w.journal
        #expect(saved == nil, "load refuses it")
        guard case .stopped(let error, let left)? = rotationError(w.rotate()) else { Issue.record("expected a stop"); return }
        #expect(error.description == "\(w.journalPath) is not a rotation journal credctl can trust (the old key \(w.oldKey.id) is not among the keys it lists as existing before); move it away after checking the user's keys with credctl keys list --user alice")
        #expect(left == "nothing was changed")
        #expect(w.keyIds == [w.oldKey.id, made.id] && w.home.credentials == w.originalFile && w.home.exists(w.journalPath))
        #expect(w.fake.requests("DeleteAccessKey").isEmpty && w.fake.requests("CreateAccessKey").isEmpty)
    }

    @Test func anUndoThatWouldLeaveNoActiveKeyIsRefused() throws {
        let w = RotationWorld()
        let admin = try #require(w.fake.iam.key(w.fake.iam.addKey(user: "admin").accessKeyId))
        w.home.writeCredentials(w.originalFile + "\n" + profile("admin", admin))
        let made = try otherKey(w, after: 60, used: false)
        try w.saveJournal(.verified, newKeyId: made.id)
        w.fake.iam.setStatus(ofKey: w.oldKey.id, "Inactive")
        // The new key is in no destination (someone put the old one back by hand).
        let outcome = Result {
            try KeyRotation(session: try w.home.session(w.fake, profile: "admin"), options: RotationOptions(user: "alice", propagationTimeout: 0),
                            report: { _ in }, wallClock: { [fake = w.fake] in fake.iam.now }).run(confirm: { _ in true })
        }
        guard case .refused(let message)? = rotationError(outcome) else { Issue.record("expected a refusal, got \(outcome)"); return }
        #expect(message.hasPrefix("the interrupted rotation of alice cannot be undone: its old key \(w.oldKey.id) is inactive, so undoing it would leave alice without a working key"))
        #expect(w.keyIds == [w.oldKey.id, made.id] && w.fake.requests("DeleteAccessKey").isEmpty && w.journal?.step == .verified)
    }

    // MARK: --abandon

    @Test func abandonDeletesTheRunsKeyAndKeepsAnyOther() throws {
        let w = RotationWorld()
        let made = try otherKey(w, after: 60, used: false)
        try w.saveJournal(.created, newKeyId: made.id)
        let lines = ReportLines()
        guard case .success(.abandoned(let a)) = w.rotate(RotationOptions(propagationTimeout: 0, abandon: true), lines: lines) else {
            Issue.record("expected an abandoned rotation"); return
        }
        #expect(a == AbandonedRotation(user: "alice", oldKeyId: w.oldKey.id, deleted: [made.id], kept: [], commandsNotRun: []))
        #expect(w.keyIds == [w.oldKey.id] && w.home.credentials == w.originalFile && !w.home.exists(w.journalPath))
        #expect(lines.contains("deleted \(made.id): created by the abandoned rotation"))
    }

    @Test func abandonKeepsAKeyItCannotProveItMade() throws {
        let w = RotationWorld()
        try w.saveJournal(.creating)
        let ci = try otherKey(w, after: 7200, used: true)
        guard case .success(.abandoned(let a)) = w.rotate(RotationOptions(propagationTimeout: 0, abandon: true)) else {
            Issue.record("expected an abandoned rotation"); return
        }
        #expect(a.deleted.isEmpty && a.kept == [ci.id])
        #expect(w.keyIds == [w.oldKey.id, ci.id] && !w.home.exists(w.journalPath) && w.fake.requests("DeleteAccessKey").isEmpty)
    }

    @Test func abandonWithoutAJournalIsRefused() throws {
        let w = RotationWorld()
        guard case .refused(let message)? = rotationError(w.rotate(RotationOptions(propagationTimeout: 0, abandon: true))) else {
            Issue.record("expected a refusal"); return
        }
        #expect(message == "there is no interrupted rotation of alice to abandon; nothing was changed")
        #expect(w.keyIds == [w.oldKey.id] && w.fake.requests("CreateAccessKey").isEmpty)
    }
}
