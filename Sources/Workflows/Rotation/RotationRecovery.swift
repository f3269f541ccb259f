import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// Finishes or undoes the rotation a journal describes, from what IAM and the credentials file
/// hold now (the journal's step is a hint, never trusted over them): when the file holds a key
/// that run made, that key is proven and the old one retired; otherwise every key that run may
/// have made is deleted (its secret never reached the file) and a new rotation may start.
struct RotationRecovery {
    let rotation: KeyRotation
    let context: KeyRotation.Context

    var report: @Sendable (String) -> Void { rotation.report }

    /// The result when it finished a rotation, nil when it undid one.
    func recover(_ journal: RotationJournal) throws -> RotationResult? {
        let c = context
        var journal = journal
        report("found a rotation of \(c.user) interrupted at step '\(journal.step.rawValue)'")
        let keys: [AccessKeyMetadata]
        let editor: CredentialsFileEditor
        do throws(AWSError) {
            keys = try c.iam.listAccessKeys(c.user)
            editor = try CredentialsFileUpdate.read(journal.credentialsFile)
        } catch {
            throw RotationError.stopped(error, left: "the interrupted rotation is as it was; run credctl rotate again")
        }
        // The key that run made and wrote: the journal's, else any key made since that the file holds.
        let made = keys.filter { !journal.keysBefore.contains($0.id) }.map(\.id)
        let newKeyId = journal.newKeyId.flatMap { id in editor.profiles(holding: id).isEmpty ? nil : id }
            ?? made.first { !editor.profiles(holding: $0).isEmpty }
        guard let newKeyId, let holder = editor.profiles(holding: newKeyId).first,
              let secret = editor.file.section(holder)?["aws_secret_access_key"] else {
            for key in made {
                do { try rotation.deleteKey(key, iam: c.iam, c) } catch {
                    throw RotationError.stopped(error, left: "\(journal.credentialsFile) holds the old key \(journal.oldKeyId); key \(key), made by the interrupted rotation, is not deleted yet: run credctl rotate again")
                }
                report("deleted \(key): created by the interrupted rotation, its secret never reached \(journal.credentialsFile)")
            }
            rotation.state.remove(account: journal.account, user: journal.user)
            return nil
        }
        let holders = editor.profiles(holding: newKeyId)
        let newCredentials = SigningCredentials(accessKeyId: newKeyId, secretAccessKey: secret, sessionToken: nil)
        do { try rotation.verify(newCredentials, c) } catch {
            throw RotationError.stopped(error, left: "\(journal.credentialsFile) holds the new key \(newKeyId), not yet proven; the old key \(journal.oldKeyId) is untouched. Run credctl rotate again to finish.")
        }
        report("STS accepts \(newKeyId)")
        journal.newKeyId = newKeyId
        var iam = c.iam
        if c.caller.accessKeyId == journal.oldKeyId { iam = iam.signing(with: newCredentials) }
        var oldState = OldKeyState.deleted
        if let old = keys.first(where: { $0.id == journal.oldKeyId }) {
            oldState = try rotation.retire(old.id, iam: iam, c: c, journal: &journal, alreadyInactive: old.status == .inactive)
        }
        rotation.state.remove(account: journal.account, user: journal.user)
        return RotationResult(account: journal.account, user: c.user, oldKeyId: journal.oldKeyId, newKeyId: newKeyId,
                              profiles: holders, credentialsFile: journal.credentialsFile, oldKeyState: oldState, finishedInterrupted: true)
    }
}
