import AWSClients
import AWSCore
import SecretCrypto
import Synchronization
import Vault

/// `vault:PROFILE`: credctl's vault entry for a profile, which must hold the old key. The entry
/// is replaced whole (its MFA serial and session settings kept), so cached session credentials
/// of the old key are never used again (their cache key names the entry's key and date).
struct VaultDestination: KeyDestination {
    let profile: String
    let vault: Vault
    /// The entry as last read or written: unlocking a file vault costs a passphrase and a scrypt derivation.
    private let read = EntryCache()

    init(profile: String, vault: Vault) {
        self.profile = profile
        self.vault = vault
    }

    var spec: DestinationSpec { .vault(profile) }
    var isReadable: Bool { true }

    func entry() throws(AWSError) -> VaultEntry {
        do { return try vault.entry(profile: profile) } catch { throw error.awsError }
    }

    func holding() throws(AWSError) -> DestinationHolding {
        let entry = try self.entry()
        read.set(entry)
        return .key(AccessKeyPair(id: entry.accessKeyId, secret: entry.secretAccessKey))
    }

    func check(holding: DestinationHolding, oldKeyId: String) throws(AWSError) {
        guard holding.keyId == oldKeyId else {
            throw .configuration(ConfigurationError(
                "vault profile \(profile) (\(vault.description)) does not hold the key being rotated (\(oldKeyId)); credctl rotate writes only to entries that hold it"))
        }
    }

    func write(_ key: AccessKeyPair, replacing oldKeyId: String, user: String, record: inout DestinationRecord) throws(AWSError) {
        try replace(oldKeyId, with: key, mustHold: true)
    }

    func restore(old: AccessKeyPair?, newKeyId: String, user: String, record: DestinationRecord) throws(AWSError) {
        guard let old else {
            throw .configuration(ConfigurationError("the old key's secret is not known, so vault profile \(profile) cannot get it back"))
        }
        try replace(newKeyId, with: old, mustHold: false)
    }

    /// Stores `key` in place of `from` (the entry's settings kept, `added` now).
    func replace(_ from: String, with key: AccessKeyPair, mustHold: Bool) throws(AWSError) {
        let cached = read.get()
        let current = cached?.accessKeyId == from ? cached! : try entry()
        guard current.accessKeyId == from else {
            if mustHold {
                throw .configuration(ConfigurationError("vault profile \(profile) no longer holds \(from) (changed while rotating)"))
            }
            return
        }
        let replacement = VaultEntry(profile: profile, accessKeyId: key.id, secretAccessKey: key.secret, added: WallClock.now(),
                                     mfaSerial: current.metadata.mfaSerial, session: current.metadata.session)
        do { try vault.add([replacement], replace: true) } catch { throw error.awsError }
        read.set(replacement)
    }

    func previousKey(record: DestinationRecord) throws(AWSError) -> AccessKeyPair? { nil }
}

/// The entry a destination last saw.
final class EntryCache: Sendable {
    private let entry = Mutex<VaultEntry?>(nil)
    func get() -> VaultEntry? { entry.withLock { $0 } }
    func set(_ value: VaultEntry) { entry.withLock { $0 = value } }
}

/// A passphrase asked on the terminal once per run: a rotation reads and writes the vault
/// several times. Kept in memory only for the run, wiped when the run ends.
final class PassphraseOnce: Sendable {
    private let answer = Mutex<[UInt8]?>(nil)

    func prompt(_ text: String) -> [UInt8]? {
        if let known = answer.withLock({ $0 }) { return known }
        guard let typed = TerminalPrompt.readSecret(prompt: text) else { return nil }
        answer.withLock { $0 = typed }
        return typed
    }

    deinit {
        answer.withLock { if var bytes = $0 { SecretCrypto.wipe(&bytes) } }
    }
}
