import AWSClients
import AWSConfig
import AWSCore
import Testing
import TransportTesting
@testable import Workflows

/// Each row of docs/rotation.md's recovery table: a journal left at a step, IAM and the file
/// as a run killed there leaves them, and what the next `credctl rotate` does.
struct RotationRecoveryTests {
    /// A second key of alice, made "by the interrupted run".
    func madeKey(_ w: RotationWorld) throws -> FakeIAM.Key {
        let id = w.fake.iam.addKey(user: w.user).accessKeyId
        return try #require(w.fake.iam.key(id))
    }

    @Test func creatingWithoutAnOrphanLeadsToANormalRotation() throws {
        let w = RotationWorld()
        try w.saveJournal(.creating)
        let lines = ReportLines()
        let result = try #require(rotated(w.rotate(lines: lines)))
        #expect(lines.contains("found a rotation of alice interrupted at step 'creating'"))
        #expect(!result.finishedInterrupted && result.oldKeyId == w.oldKey.id)
        #expect(w.keyIds == [result.newKeyId] && w.home.credentials == w.file(holding: w.keys[0]) && !w.home.exists(w.journalPath))
    }

    @Test func creatingWithAnOrphanDeletesItThenRotates() throws {
        let w = RotationWorld()
        try w.saveJournal(.creating)
        let orphan = try madeKey(w)
        let lines = ReportLines()
        let result = try #require(rotated(w.rotate(lines: lines)))
        #expect(lines.contains("deleted \(orphan.id): created by the interrupted rotation, its secret never reached \(w.home.credentialsPath)"))
        #expect(w.keyIds == [result.newKeyId] && result.newKeyId != orphan.id)
        #expect(w.home.credentials == w.file(holding: w.keys[0]) && !w.home.exists(w.journalPath))
    }

    @Test func createdButNotWrittenDeletesTheNewKeyThenRotates() throws {
        let w = RotationWorld()
        let made = try madeKey(w)
        try w.saveJournal(.created, newKeyId: made.id)
        let result = try #require(rotated(w.rotate()))
        #expect(!result.finishedInterrupted && result.newKeyId != made.id)
        #expect(w.keyIds == [result.newKeyId] && w.home.credentials == w.file(holding: w.keys[0]))
        #expect(w.fake.requests("DeleteAccessKey").first?.form["AccessKeyId"] == made.id)
    }

    /// Killed after the file was written but before the journal said so: the file decides.
    @Test func createdAndAlreadyInTheFileIsFinished() throws {
        let w = RotationWorld()
        let made = try madeKey(w)
        try w.saveJournal(.created, newKeyId: made.id)
        w.home.writeCredentials(w.file(holding: made))
        let result = try #require(rotated(w.rotate()))
        #expect(result.finishedInterrupted && result.newKeyId == made.id && result.oldKeyState == .deleted)
        #expect(w.keyIds == [made.id] && w.home.credentials == w.file(holding: made) && !w.home.exists(w.journalPath))
        #expect(w.fake.requests("CreateAccessKey").isEmpty)
    }

    @Test(arguments: [RotationJournal.Step.written, .verified])
    func writtenOrVerifiedIsProvenAndFinished(_ step: RotationJournal.Step) throws {
        let w = RotationWorld()
        let made = try madeKey(w)
        try w.saveJournal(step, newKeyId: made.id)
        w.home.writeCredentials(w.file(holding: made))
        let lines = ReportLines()
        let result = try #require(rotated(w.rotate(lines: lines)))
        #expect(lines.contains("STS accepts \(made.id)") && lines.contains("deactivated \(w.oldKey.id)") && lines.contains("deleted \(w.oldKey.id)"))
        #expect(result.finishedInterrupted && result.newKeyId == made.id && result.oldKeyState == .deleted && result.profiles == ["default"])
        #expect(w.keyIds == [made.id] && w.home.credentials == w.file(holding: made) && !w.home.exists(w.journalPath))
        #expect(w.fake.requests("GetCallerIdentity").map(\.signingKeyId) == [made.id, made.id])
    }

    @Test func deactivatedDeletesTheOldKey() throws {
        let w = RotationWorld()
        let made = try madeKey(w)
        w.fake.iam.setStatus(ofKey: w.oldKey.id, "Inactive")
        try w.saveJournal(.deactivated, newKeyId: made.id)
        w.home.writeCredentials(w.file(holding: made))
        let result = try #require(rotated(w.rotate()))
        #expect(result.finishedInterrupted && result.oldKeyState == .deleted)
        #expect(w.keyIds == [made.id] && !w.home.exists(w.journalPath))
        #expect(w.fake.requests("UpdateAccessKey").isEmpty)
    }

    @Test func deactivatedWithKeepOldInactiveKeepsIt() throws {
        let w = RotationWorld()
        let made = try madeKey(w)
        w.fake.iam.setStatus(ofKey: w.oldKey.id, "Inactive")
        try w.saveJournal(.deactivated, newKeyId: made.id, keepOldInactive: true)
        w.home.writeCredentials(w.file(holding: made))
        let result = try #require(rotated(w.rotate()))
        #expect(result.oldKeyState == .inactive)
        #expect(w.keys.map { "\($0.id) \($0.status)" } == ["\(w.oldKey.id) Inactive", "\(made.id) Active"] && !w.home.exists(w.journalPath))
    }

    @Test func anOldKeyAlreadyGoneCountsAsDeleted() throws {
        let w = RotationWorld()
        let made = try madeKey(w)
        try w.saveJournal(.deactivated, newKeyId: made.id)
        w.home.writeCredentials(w.file(holding: made))
        w.fake.iam.setStatus(ofKey: w.oldKey.id, "Inactive")
        // Deleted by hand meanwhile, signing with the new key.
        let iam = IAMClient(client: AWSClient(core: ClientCore(transport: w.fake), keys: FixedSigningKeys(made.credentials)),
                            endpoint: ResolvedEndpoint(url: RequestURL(scheme: "https", host: "iam.amazonaws.com"), signingRegion: "us-east-1", source: "test"))
        try iam.deleteAccessKey(w.oldKey.id, userName: w.user)
        let result = try #require(rotated(w.rotate()))
        #expect(result.finishedInterrupted && result.oldKeyState == .deleted && w.keyIds == [made.id] && !w.home.exists(w.journalPath))
    }

    @Test func aNewKeySTSStillRefusesKeepsTheJournal() throws {
        let w = RotationWorld()
        let made = try madeKey(w)
        try w.saveJournal(.written, newKeyId: made.id)
        w.home.writeCredentials(w.file(holding: made))
        // The caller is the new key (the file holds it): STS accepts it for the identity, then refuses it as not yet propagated.
        w.fake.after("GetCallerIdentity", once: true) { [fake = w.fake] _ in
            fake.iam.refuseInSTS(keyId: made.id, calls: 100)
        }
        guard case .stopped(let error, let left)? = rotationError(w.rotate()) else { Issue.record("expected a stop"); return }
        #expect(error.isService(.invalidClientTokenId))
        #expect(left == "\(w.home.credentialsPath) holds the new key \(made.id), not yet proven; the old key \(w.oldKey.id) is untouched. Run credctl rotate again to finish.")
        #expect(w.keys.allSatisfy { $0.status == "Active" } && w.keys.count == 2 && w.journal?.step == .written)
    }

    @Test func anUnreadableJournalIsAnErrorNotIgnored() throws {
        let w = RotationWorld()
        try w.state.prepare()
        w.home.writeCredentials(w.originalFile)
        try SecretFile.write(Array("{not a journal".utf8), to: w.journalPath)
        guard case .stopped(let error, let left)? = rotationError(w.rotate()) else { Issue.record("expected a stop"); return }
        #expect(error.description.contains("is not a rotation journal credctl can read"))
        #expect(left == "nothing was changed")
        #expect(w.keyIds == [w.oldKey.id] && w.fake.requests("CreateAccessKey").isEmpty)
    }
}
