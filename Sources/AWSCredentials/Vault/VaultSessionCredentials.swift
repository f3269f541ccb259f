import AWSClients
import AWSCore
import SigV4
import Vault

/// What a vault profile hands out: by default session credentials from `GetSessionToken`,
/// signed with the vault's long-term key (MFA when the entry has an `mfa_serial`), kept sealed
/// with the entry (`VaultSessionCache`) until 15 minutes before they expire, so that most reads
/// neither call STS nor ask for an MFA code; or, when the entry opts out, the long-term key itself.
public struct VaultSessionCredentials: Sendable {
    public let vault: Vault
    /// The vault entry's name (the profile it was imported from).
    public let profile: String
    /// STS access, the cache, the MFA source, the clock and the log.
    public let context: CredentialContext
    /// Where sessions wait between runs; nil keeps none (`--no-cache`, or a caller that holds
    /// sessions in memory itself).
    public let sessions: VaultSessionCache?

    /// Sessions are kept sealed with the entry unless `keepingSessions` is false or the context
    /// has no cache (`--no-cache`).
    public init(vault: Vault, profile: String, context: CredentialContext, keepingSessions: Bool = true) {
        self.vault = vault
        self.profile = profile
        self.context = context
        sessions = keepingSessions && context.cache != nil ? VaultSessionCache(vault: vault) : nil
    }

    public func credentials() throws(AWSError) -> Credentials {
        let metadata: VaultEntryMetadata
        do { metadata = try vault.metadata(profile: profile) } catch { throw error.awsError }
        guard metadata.session.useSessionToken else {
            let entry: VaultEntry
            do { entry = try vault.entry(profile: profile) } catch { throw error.awsError }
            context.log("credentials: the long-term key of vault profile \(profile) (\(metadata.maskedKeyId)); session credentials are off for it")
            return Credentials(signing: entry.signing, provenance: provenance(rule: "long-term key from the vault (session credentials turned off for this profile)", cached: false))
        }
        let key = cacheKey(metadata)
        let now = context.now()
        // Sessions were once kept in clear in the role cache; one left there is deleted, never read.
        context.cache?.remove(key)
        let cached = try sessions?.load(profile: profile, key: key)
        if let cached, cached.expiration - now >= CredentialCache.refreshWindow {
            context.log("credentials: vault profile \(profile) session from the cache, valid until \(Timestamp.format(cached.expiration))")
            return Credentials(signing: cached.credentials, expiration: cached.expiration, provenance: provenance(cached: true))
        }
        do {
            let token = try newSession(metadata)
            try sessions?.store(CredentialCache.Entry(credentials: token.credentials, expiration: token.expiration, assumedRoleArn: ""),
                                profile: profile, key: key)
            return Credentials(signing: token.credentials, expiration: token.expiration, provenance: provenance(cached: false))
        } catch {
            // As for roles: a cached session with 10+ minutes left still serves when STS cannot be reached.
            if let cached, cached.expiration - now >= CredentialCache.mandatoryWindow {
                context.log("credentials: a new session for vault profile \(profile) failed (\(error)); using the cached one until \(Timestamp.format(cached.expiration))")
                return Credentials(signing: cached.credentials, expiration: cached.expiration, provenance: provenance(cached: true))
            }
            throw error
        }
    }

    /// Unlocks the entry and calls `GetSessionToken` with it.
    func newSession(_ metadata: VaultEntryMetadata) throws(AWSError) -> SessionToken {
        let entry: VaultEntry
        do { entry = try vault.entry(profile: profile) } catch { throw error.awsError }
        let code: String?
        if let serial = metadata.mfaSerial { code = try context.mfa.code(serial: serial, profile: profile) } else { code = nil }
        let duration = metadata.session.durationSeconds ?? SessionCredentialSettings.defaultDurationSeconds
        context.log("credentials: GetSessionToken for vault profile \(profile) (\(metadata.maskedKeyId)), \(duration) s\(metadata.mfaSerial == nil ? "" : ", with MFA")")
        return try context.sts(credentials: entry.signing).getSessionToken(durationSeconds: duration, mfaSerial: metadata.mfaSerial, mfaCode: code)
    }

    /// Everything that changes what `GetSessionToken` returns, and the entry itself (its masked
    /// key id and when it was added), so a replaced key never reuses the old key's session.
    func cacheKey(_ m: VaultEntryMetadata) -> String {
        CredentialCache.key([("Source", "vault"), ("Vault", vault.backend.location), ("Profile", profile),
                             ("KeyId", m.maskedKeyId), ("Added", String(m.added)), ("SerialNumber", m.mfaSerial),
                             ("DurationSeconds", String(m.session.durationSeconds ?? SessionCredentialSettings.defaultDurationSeconds))])
    }

    func provenance(rule: String = "session credentials from GetSessionToken; the long-term key stays in the vault", cached: Bool) -> Provenance {
        Provenance(provider: .vault, profile: profile, location: vault.description, rule: rule, fromCache: cached)
    }
}
