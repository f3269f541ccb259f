import AWSClients
import AWSConfig
import AWSCore
import Foundation
import Testing
import TransportTesting
@testable import Workflows

/// `credctl rotate` step by step on a fake IAM and STS, with a real credentials file and
/// journal in a temporary home. After each case: IAM's keys, the file's bytes, the journal.
struct KeyRotationTests {
    @Test func rotatesAndLeavesExactlyTheNewKeyInTheFile() throws {
        let w = RotationWorld()
        let lines = ReportLines()
        let result = try #require(rotated(w.rotate(lines: lines)))
        let newKey = try #require(w.keys.first)
        #expect(w.keyIds == [result.newKeyId] && newKey.id != w.oldKey.id && newKey.status == "Active")
        #expect(result.oldKeyId == w.oldKey.id && result.oldKeyState == .deleted && !result.finishedInterrupted)
        #expect(result.profiles == ["default"] && result.account == "123456789012" && result.user == "alice")
        #expect(w.home.credentials == w.file(holding: newKey), "only the key's id and secret changed")
        #expect(w.home.mode(w.home.credentialsPath) == 0o600)
        #expect(FileManager.default.contents(atPath: w.home.backupPath).map { String(decoding: $0, as: UTF8.self) } == w.originalFile)
        #expect(!w.home.exists(w.journalPath))

        #expect(w.fake.requests("CreateAccessKey").count == 1)
        #expect(w.fake.requests("CreateAccessKey").allSatisfy { $0.safety == .notIdempotent })
        #expect(w.fake.requests("GetCallerIdentity").map(\.signingKeyId) == [w.oldKey.id, newKey.id], "the new key is proven with STS")
        // A key cannot deactivate or delete itself: the old key is retired signing with the new one.
        #expect(w.fake.requests("UpdateAccessKey").map(\.signingKeyId) == [newKey.id])
        #expect(w.fake.requests("DeleteAccessKey").map(\.signingKeyId) == [newKey.id])
        #expect(w.fake.requests("UpdateAccessKey").first?.form["Status"] == "Inactive")
        for text in ["created \(newKey.id)", "wrote \(newKey.id)", "STS accepts \(newKey.id)", "deactivated \(w.oldKey.id)", "deleted \(w.oldKey.id)"] {
            #expect(lines.contains(text), "\(text)")
        }
    }

    @Test func keepOldInactiveStopsAfterDeactivating() throws {
        let w = RotationWorld()
        let result = try #require(rotated(w.rotate(RotationOptions(keepOldInactive: true))))
        #expect(result.oldKeyState == .inactive)
        #expect(w.keys.map { "\($0.id) \($0.status)" } == ["\(w.oldKey.id) Inactive", "\(result.newKeyId) Active"])
        #expect(w.fake.requests("DeleteAccessKey").isEmpty)
        #expect(!w.home.exists(w.journalPath))
    }

    @Test func aDryRunChangesNothing() throws {
        let w = RotationWorld()
        guard case .success(.planned(let plan)) = w.rotate(RotationOptions(dryRun: true)) else {
            Issue.record("expected a plan"); return
        }
        #expect(plan.oldKey.id == w.oldKey.id && plan.profiles == ["default"] && plan.otherKeyToDelete == nil)
        #expect(w.keyIds == [w.oldKey.id] && w.home.credentials == w.originalFile && !w.home.exists(w.journalPath))
        #expect(w.fake.requests.allSatisfy { ["GetCallerIdentity", "ListAccessKeys"].contains($0.operation ?? "") })
    }

    @Test func anAdminRotatesAnotherUsersKeyInItsProfile() throws {
        let w = RotationWorld()
        let admin = w.fake.iam.addKey(user: "admin")
        let adminProfile = profile("admin", try #require(w.fake.iam.key(admin.accessKeyId)))
        w.home.writeCredentials(w.originalFile + "\n" + adminProfile)
        let result = try #require(rotated(Result {
            try KeyRotation(session: try w.home.session(w.fake, profile: "admin"), options: RotationOptions(user: "alice"),
                            report: { _ in }).run(confirm: { _ in true })
        }))
        let newKey = try #require(w.keys.first)
        #expect(w.keyIds == [result.newKeyId] && result.profiles == ["default"])
        #expect(w.home.credentials == w.file(holding: newKey) + "\n" + adminProfile)
        #expect(w.fake.requests("DeleteAccessKey").map(\.signingKeyId) == [admin.accessKeyId], "the admin's own key signs, not the new one")
        #expect(w.fake.iam.keyIds(of: "admin") == [admin.accessKeyId])
    }

    // MARK: The two-key limit

    @Test func anInactiveOtherKeyIsDeletedFirst() throws {
        let w = RotationWorld()
        let other = w.fake.iam.addKey(user: "alice", status: "Inactive")
        let lines = ReportLines()
        let result = try #require(rotated(w.rotate(lines: lines)))
        #expect(w.keyIds == [result.newKeyId])
        #expect(w.fake.requests("DeleteAccessKey").first?.form["AccessKeyId"] == other.accessKeyId)
        #expect(lines.contains("deleted the other key \(other.accessKeyId) (Inactive)"))
    }

    @Test func anActiveOtherKeyIsRefusedWithNothingChanged() throws {
        let w = RotationWorld()
        let other = w.fake.iam.addKey(user: "alice")
        guard case .refused(let message)? = rotationError(w.rotate()) else { Issue.record("expected a refusal"); return }
        #expect(message.contains("alice already has two access keys, and its other key \(other.accessKeyId)"))
        #expect(message.contains("Nothing was changed") && message.contains("--delete-other-key"))
        #expect(w.keyIds == [w.oldKey.id, other.accessKeyId] && w.keys.allSatisfy { $0.status == "Active" })
        #expect(w.home.credentials == w.originalFile && !w.home.exists(w.journalPath))
        #expect(w.fake.requests("CreateAccessKey").isEmpty && w.fake.requests("DeleteAccessKey").isEmpty)
    }

    @Test func deleteOtherKeyDeletesAnActiveOtherKey() throws {
        let w = RotationWorld()
        let other = w.fake.iam.addKey(user: "alice")
        let result = try #require(rotated(w.rotate(RotationOptions(deleteOtherKey: true))))
        #expect(w.keyIds == [result.newKeyId] && result.newKeyId != other.accessKeyId)
        #expect(w.home.credentials == w.file(holding: try #require(w.keys.first)))
    }

    // MARK: CreateAccessKey's answer lost

    @Test(arguments: [[Fault.loseAnswer(.http500)], [.loseAnswer(.reset), .loseAnswer(.timeout)], [.garbage], [.before(.reset), .loseAnswer(.http500)]])
    func aLostCreateAccessKeyEndsWithExactlyOneKeyTheOneInTheFile(_ faults: [Fault]) throws {
        let w = RotationWorld()
        for fault in faults { w.fake.inject(fault, into: "CreateAccessKey") }
        let lines = ReportLines()
        let result = try #require(rotated(w.rotate(lines: lines)))
        let key = try #require(w.keys.first)
        #expect(w.keyIds == [result.newKeyId])
        #expect(w.home.credentials == w.file(holding: key))
        #expect(w.fake.requests("CreateAccessKey").count == faults.count + 1)
        let orphans = faults.filter { $0 != .before(.reset) }.count
        #expect(w.fake.requests("DeleteAccessKey").count == orphans + 1, "each orphan, then the old key")
        #expect(lines.all.filter { $0.contains("its secret never arrived") }.count == orphans)
        #expect(!w.home.exists(w.journalPath))
    }

    @Test func createAccessKeyLostEveryTimeLeavesNoKeyAndTheNextRunRotates() throws {
        let w = RotationWorld()
        w.fake.inject(.loseAnswer(.http500), into: "CreateAccessKey", times: 3)
        guard case .stopped(let error, let left)? = rotationError(w.rotate()) else { Issue.record("expected a stop"); return }
        #expect(error.isService(AWSErrorCode("ServiceFailure")))
        #expect(left == "no new key is left: \(w.home.credentialsPath) still holds the old key \(w.oldKey.id), which is active")
        #expect(w.keyIds == [w.oldKey.id], "every orphan was deleted")
        #expect(w.home.credentials == w.originalFile && !w.home.exists(w.journalPath))

        let result = try #require(rotated(w.rotate()))
        #expect(w.keyIds == [result.newKeyId] && !result.finishedInterrupted)
    }

    @Test func anOrphanThatCouldNotBeLookedForIsCleanedUpByTheNextRun() throws {
        let w = RotationWorld()
        w.fake.inject(.loseAnswer(.reset), into: "CreateAccessKey")
        w.fake.after("CreateAccessKey", once: true) { [fake = w.fake] _ in
            fake.inject(.before(.serviceError(code: "AccessDenied", status: 403)), into: "ListAccessKeys")
        }
        guard case .stopped(_, let left)? = rotationError(w.rotate()) else { Issue.record("expected a stop"); return }
        #expect(left.contains("a key made by a lost CreateAccessKey answer may exist in IAM: run credctl rotate again to remove it"))
        let orphan = try #require(w.keyIds.last)
        #expect(w.keyIds.count == 2 && orphan != w.oldKey.id)
        #expect(w.journal?.step == .creating && w.home.credentials == w.originalFile)

        let lines = ReportLines()
        let result = try #require(rotated(w.rotate(lines: lines)))
        #expect(lines.contains("deleted \(orphan): created by the interrupted rotation"))
        #expect(w.keyIds == [result.newKeyId] && result.newKeyId != orphan)
        #expect(w.home.credentials == w.file(holding: try #require(w.keys.first)) && !w.home.exists(w.journalPath))
    }

    @Test func createAccessKeyRefusedLeavesNothing() throws {
        let w = RotationWorld()
        w.fake.inject(.before(.serviceError(code: "AccessDenied", status: 403)), into: "CreateAccessKey")
        guard case .stopped(let error, let left)? = rotationError(w.rotate()) else { Issue.record("expected a stop"); return }
        #expect(error.isService(.accessDenied) && left.hasPrefix("no new key is left"))
        #expect(w.keyIds == [w.oldKey.id] && w.home.credentials == w.originalFile && !w.home.exists(w.journalPath))
        #expect(w.fake.requests("CreateAccessKey").count == 1)
    }

    // MARK: The file write and the proof

    @Test func aFailedFileWriteRollsBackTheNewKeyAndLeavesTheFile() throws {
        let w = RotationWorld()
        // The backup cannot be written where a folder stands: the write fails before the file is touched.
        try FileManager.default.createDirectory(atPath: w.home.backupPath + "/blocker", withIntermediateDirectories: true)
        guard case .rolledBack(let message, let left)? = rotationError(w.rotate()) else { Issue.record("expected a rollback"); return }
        #expect(message.hasPrefix("could not write \(w.home.credentialsPath)"))
        #expect(left.hasPrefix("\(w.home.credentialsPath) holds the old key \(w.oldKey.id), which is active; the new key"))
        #expect(w.keyIds == [w.oldKey.id])
        #expect(w.home.credentials == w.originalFile && !w.home.exists(w.journalPath))
    }

    @Test func aKeySTSNeverAcceptsIsRolledBackFromMemoryKeepingOtherWritersChanges() throws {
        let w = RotationWorld()
        w.fake.iam.refuseNewKeysInSTS(calls: 1000)
        let late = "\n[written-meanwhile]\naws_access_key_id = AKIALATE000000000000\naws_secret_access_key = lateSecret\n"
        w.fake.before("GetCallerIdentity") { [home = w.home, old = w.oldKey.id] call in
            guard call.signingKeyId != old, let text = home.credentials, !text.contains("written-meanwhile") else { return }
            home.writeCredentials(text + late)  // another writer adds a profile while the new key is being proven,
            _ = FileManager.default.createFile(atPath: home.backupPath, contents: Data("[garbage]\n".utf8))  // and the backup is not ours
        }
        guard case .rolledBack(let message, let left)? = rotationError(w.rotate()) else { Issue.record("expected a rollback"); return }
        #expect(message.contains("STS did not accept the new key within 60 s (InvalidClientTokenId)"))
        // The wait ran on the session's clock: 1, 2, 4, then 5 s at a time, never past the limit.
        #expect(Array(w.home.clock.sleeps.prefix(4)) == [1, 2, 4, 5] && w.home.clock.slept <= 60 && w.home.clock.slept > 55)
        #expect(message.contains("rolled back: default holds the old key \(w.oldKey.id) again and the new key was deleted"))
        #expect(left.contains("holds the old key \(w.oldKey.id), which is active"))
        #expect(w.keyIds == [w.oldKey.id] && w.keys[0].status == "Active")
        #expect(w.home.credentials == w.originalFile + late, "the old key is back, the other writer's profile kept, the backup not used")
        #expect(!w.home.exists(w.journalPath))
    }

    @Test func aProofThatFailsForAnotherReasonStopsWithTheNewKeyInTheFile() throws {
        let w = RotationWorld()
        // STS refuses the new key with an error that is not "unknown key": nothing is rolled back or retired.
        w.fake.before("GetCallerIdentity") { [fake = w.fake, old = w.oldKey.id] call in
            guard call.signingKeyId != old else { return }
            fake.inject(.before(.serviceError(code: "AccessDenied", status: 403)), into: "GetCallerIdentity")
        }
        guard case .stopped(let error, let left)? = rotationError(w.rotate()) else { Issue.record("expected a stop"); return }
        #expect(error.isService(.accessDenied))
        #expect(left.contains("not yet proven; the old key \(w.oldKey.id) is still active. Run credctl rotate again to finish."))
        #expect(w.keys.count == 2 && w.keys.allSatisfy { $0.status == "Active" } && w.journal?.step == .written)
        #expect(w.home.credentials == w.file(holding: w.keys[1]))
    }

    // MARK: Retiring the old key

    @Test func aRefusedUpdateStopsAndTheNextRunFinishes() throws {
        let w = RotationWorld()
        w.fake.inject(.before(.serviceError(code: "AccessDenied", status: 403)), into: "UpdateAccessKey")
        guard case .stopped(let error, let left)? = rotationError(w.rotate()) else { Issue.record("expected a stop"); return }
        let newKey = try #require(w.keys.last)
        #expect(error.isService(.accessDenied))
        #expect(left == "\(w.home.credentialsPath) holds the new, working key \(newKey.id); the old key \(w.oldKey.id) is still active. Run credctl rotate again to finish.")
        #expect(w.keys.map(\.status) == ["Active", "Active"] && w.home.credentials == w.file(holding: newKey))
        #expect(w.journal?.step == .verified && w.journal?.newKeyId == newKey.id)

        let result = try #require(rotated(w.rotate()))
        #expect(result.finishedInterrupted && result.newKeyId == newKey.id && result.oldKeyState == .deleted)
        #expect(w.keyIds == [newKey.id] && w.home.credentials == w.file(holding: newKey) && !w.home.exists(w.journalPath))
    }

    @Test func aRefusedDeleteStopsAndTheNextRunFinishes() throws {
        let w = RotationWorld()
        w.fake.inject(.before(.serviceError(code: "AccessDenied", status: 403)), into: "DeleteAccessKey")
        guard case .stopped(_, let left)? = rotationError(w.rotate()) else { Issue.record("expected a stop"); return }
        let newKey = try #require(w.keys.last)
        #expect(left == "\(w.home.credentialsPath) holds the new, working key \(newKey.id); the old key \(w.oldKey.id) is inactive but not deleted. Run credctl rotate again to finish.")
        #expect(w.keys.map(\.status) == ["Inactive", "Active"] && w.journal?.step == .deactivated)

        let result = try #require(rotated(w.rotate()))
        #expect(result.finishedInterrupted && result.oldKeyState == .deleted)
        #expect(w.keyIds == [newKey.id] && !w.home.exists(w.journalPath))
        #expect(w.fake.requests("UpdateAccessKey").count == 1, "the old key was already inactive")
    }

    @Test func aLostDeleteAnswerIsFoundByLooking() throws {
        let w = RotationWorld()
        w.fake.inject(.loseAnswer(.reset), into: "DeleteAccessKey")
        let result = try #require(rotated(w.rotate()))
        #expect(w.keyIds == [result.newKeyId] && !w.home.exists(w.journalPath))
        #expect(w.fake.requests("DeleteAccessKey").count == 1, "not sent again: ListAccessKeys showed it gone")
    }

    @Test func aThrottledUpdateIsRetriedWithoutSleeping() throws {
        let w = RotationWorld()
        w.fake.inject(.throttle, into: "UpdateAccessKey", times: 2)
        w.fake.inject(.throttle, into: "CreateAccessKey")
        let result = try #require(rotated(w.rotate()))
        #expect(w.keyIds == [result.newKeyId])
        #expect(w.fake.requests("UpdateAccessKey").count == 3 && w.fake.requests("CreateAccessKey").count == 2)
    }

    // MARK: The lock

    @Test func aRotationRunningElsewhereIsRefusedWithNothingChanged() throws {
        let w = RotationWorld()
        try w.state.prepare()
        let held = try FileLock.acquire(w.state.lockPath(account: w.fake.iam.account, user: w.user))
        defer { held.release() }
        guard case .refused(let message)? = rotationError(w.rotate()) else { Issue.record("expected a refusal"); return }
        #expect(message == "another credctl rotate of user alice is running (pid \(getpid())); nothing was changed")
        #expect(w.keyIds == [w.oldKey.id] && w.home.credentials == w.originalFile && !w.home.exists(w.journalPath))
        #expect(w.fake.requests("ListAccessKeys").isEmpty && w.fake.requests("CreateAccessKey").isEmpty)
    }
}
