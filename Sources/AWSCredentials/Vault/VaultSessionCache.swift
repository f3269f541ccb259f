import AWSCore
import SecretCrypto
import SigV4
import Vault

/// Where a vault profile's session credentials wait between runs: sealed with the vault entry
/// itself (`Vault.storeSession`; in the file backend, under the vault key beside the entry), so
/// they are never in clear on disk and go when the entry is replaced or removed. Reading them
/// needs the vault unlocked, as the entry does. One value the caller can leave out: without it
/// (`--no-cache`, or a caller that keeps sessions in memory) every resolution asks STS.
public struct VaultSessionCache: Sendable {
    public let vault: Vault

    public init(vault: Vault) { self.vault = vault }

    /// The session stored for `profile` under `key` (the settings it was made with), nil when
    /// there is none, it was made with other settings, or it cannot be read (a session with a
    /// control character counts as none: it is replaced, never used).
    public func load(profile: String, key: String) throws(AWSError) -> CredentialCache.Entry? {
        var plaintext: [UInt8]
        do { guard let stored = try vault.session(profile: profile) else { return nil }; plaintext = stored } catch { throw error.awsError }
        defer { SecretCrypto.wipe(&plaintext) }
        guard let json = try? JSONValue.parse(plaintext), json["Key"]?.stringValue == key,
              let doc = try? TemporaryCredentialsDocument(json: json, tokenKey: "SessionToken", requireToken: true,
                                                           requireExpiration: true, source: "vault session"),
              let expiration = doc.expiration,
              CredentialChecks.fieldWithControlCharacter(doc.credentials) == nil else { return nil }
        return CredentialCache.Entry(credentials: doc.credentials, expiration: expiration, assumedRoleArn: "")
    }

    public func store(_ entry: CredentialCache.Entry, profile: String, key: String) throws(AWSError) {
        var plaintext = Array(JSONValue.object([
            ("Version", .number(1)), ("Key", .string(key)),
            ("AccessKeyId", .string(entry.credentials.accessKeyId)),
            ("SecretAccessKey", .string(entry.credentials.secretAccessKey)),
            ("SessionToken", .optional(entry.credentials.sessionToken)),
            ("Expiration", .string(Timestamp.format(entry.expiration))),
        ]).serialized().utf8)
        defer { SecretCrypto.wipe(&plaintext) }
        do { try vault.storeSession(profile: profile, plaintext) } catch { throw error.awsError }
    }
}
