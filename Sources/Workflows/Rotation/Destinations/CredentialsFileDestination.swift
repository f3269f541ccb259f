import AWSClients
import AWSConfig
import AWSCore

/// `profile:NAME`: a profile of the shared credentials file that holds the old key. The key
/// lines are rewritten in place, every other byte kept (`CredentialsFileUpdate`: under the
/// credentials-file lock, read afresh, the previous file kept as a backup, written atomically).
struct CredentialsFileDestination: KeyDestination {
    let profile: String
    let update: CredentialsFileUpdate

    var spec: DestinationSpec { .profile(profile) }
    var isReadable: Bool { true }
    var path: String { update.path }

    func holding() throws(AWSError) -> DestinationHolding {
        let editor = try CredentialsFileUpdate.read(path)
        guard let section = editor.file.section(profile), let id = section["aws_access_key_id"],
              let secret = section["aws_secret_access_key"] else { return .nothing }
        return .key(AccessKeyPair(id: id, secret: secret))
    }

    func check(holding: DestinationHolding, oldKeyId: String) throws(AWSError) {
        guard holding.keyId == oldKeyId else {
            throw .configuration(ConfigurationError(
                "profile \(profile) of \(path) does not hold the key being rotated (\(oldKeyId)); credctl rotate writes only to profiles that hold it (credctl setup user writes a new profile)"))
        }
        let editor = try CredentialsFileUpdate.read(path)
        do { try editor.checkRewritable([profile]) } catch {
            throw .configuration(ConfigurationError("\(error); nothing was changed"))
        }
        try update.checkWritable()
    }

    func write(_ key: AccessKeyPair, replacing oldKeyId: String, user: String, record: inout DestinationRecord) throws(AWSError) {
        try replace(oldKeyId, with: key, changedWhile: "rotating")
    }

    func restore(old: AccessKeyPair?, newKeyId: String, user: String, record: DestinationRecord) throws(AWSError) {
        guard let old else {
            throw .configuration(ConfigurationError("the old key's secret is not known, so profile \(profile) cannot get it back"))
        }
        try replace(newKeyId, with: old, changedWhile: nil)
    }

    /// Replaces `from` in this profile; when the profile no longer holds it, nothing is written
    /// (a restore) or the rotation stops (a write: the file changed under it).
    func replace(_ from: String, with key: AccessKeyPair, changedWhile: String?) throws(AWSError) {
        let written: Bool
        do {
            written = try update.apply { editor in
                guard editor.profiles(holding: from).contains(profile) else { return nil }
                return try editor.replacingKey(from, with: key.id, secret: key.secret, inProfiles: [profile])
            }
        } catch {
            let reason = (error as? AWSError).map { e -> String in
                if case .configuration(let c) = e { return c.message }
                return e.description
            } ?? "\(error)"
            throw .configuration(ConfigurationError("could not write \(path): \(reason)"))
        }
        if !written, let changedWhile {
            throw .configuration(ConfigurationError("profile \(profile) of \(path) no longer holds \(from) (changed while \(changedWhile))"))
        }
    }

    func previousKey(record: DestinationRecord) throws(AWSError) -> AccessKeyPair? { nil }

    /// The file's own errors name it already ("could not write FILE: …").
    func writeFailure(_ error: AWSError) -> String { "\(error)" }
}
