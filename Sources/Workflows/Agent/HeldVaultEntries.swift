import AWSConfig
import AWSCore
import Synchronization
import Vault

/// Vault entries the agent unlocked, kept in memory only with `agent start --unlock-for`, each
/// for at most that long after it was unlocked; `lock` and the idle limit forget them at once.
final class HeldVaultEntries: Sendable {
    private let entries = Mutex<[String: (entry: VaultEntry, unlockedAt: Int)]>([:])

    func entry(_ key: String) -> VaultEntry? { entries.withLock { $0[key]?.entry } }

    func hold(_ entry: VaultEntry, key: String, now: Int) { entries.withLock { $0[key] = (entry, now) } }

    func forget(unlockedBefore time: Int) { entries.withLock { held in held = held.filter { $0.value.unlockedAt >= time } } }

    func forgetAll() { entries.withLock { $0.removeAll() } }

    var count: Int { entries.withLock { $0.count } }
}

/// A vault backend whose unlocked entries are held (see `HeldVaultEntries`); everything else
/// goes to the backend, whose passphrase questions go to the client that asked.
struct HoldingVaultBackend: VaultBackend {
    let inner: any VaultBackend
    let held: HeldVaultEntries
    let now: @Sendable () -> Int

    var kind: VaultBackendKind { inner.kind }
    var location: String { inner.location }
    func list() throws(VaultError) -> [VaultListing] { try inner.list() }
    func metadata(_ profile: String) throws(VaultError) -> VaultEntryMetadata? { try inner.metadata(profile) }
    func store(_ entries: [VaultEntry], replace: Bool) throws(VaultError) { try inner.store(entries, replace: replace) }
    func remove(_ profiles: [String]) throws(VaultError) { try inner.remove(profiles) }
    // Sessions are the agent's to hold (in memory); these are never called with a held cache.
    func session(_ profile: String) throws(VaultError) -> [UInt8]? { try inner.session(profile) }
    func storeSession(_ profile: String, _ plaintext: [UInt8]) throws(VaultError) { try inner.storeSession(profile, plaintext) }

    func entry(_ profile: String) throws(VaultError) -> VaultEntry {
        let key = "\(inner.location)\u{0}\(profile)"
        if let known = held.entry(key) { return known }
        let entry = try inner.entry(profile)
        held.hold(entry, key: key, now: now())
        return entry
    }
}
