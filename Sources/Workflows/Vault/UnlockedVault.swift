import AWSConfig
import AWSCore
import AWSCredentials
import Synchronization
import Vault

/// For a credctl that stays running beside a child (`creds exec --server`): each vault entry
/// is unlocked at most once and kept in memory until credctl exits, so that a refresh an hour
/// later never asks for the passphrase on a terminal the child is using. The same trade-off
/// aws-vault makes (its file keyring keeps the passphrase); docs/vault.md's threat model says so.
public final class UnlockedVaults: Sendable {
    private let opened = Mutex<[String: Vault]>([:])
    private let open: @Sendable (VaultBackendKind?) throws(AWSError) -> Vault

    /// `prompt` asks for a passphrase the variables do not give (default: the terminal).
    public init(environment: Environment, prompt: @escaping @Sendable (String) -> [UInt8]? = { TerminalPrompt.readSecret(prompt: $0) }) {
        open = VaultCredentialsProvider.vaultOpener(environment: environment, prompt: prompt)
    }

    /// What `VaultCredentialsProvider` opens a vault with: the same vault each time, its
    /// unlocked entries remembered.
    public var opener: @Sendable (VaultBackendKind?) throws(AWSError) -> Vault {
        { [self] (kind: VaultBackendKind?) throws(AWSError) -> Vault in
            let key = kind?.rawValue ?? "configured"
            if let vault = opened.withLock({ $0[key] }) { return vault }
            let vault = Vault(backend: RememberingBackend(try open(kind).backend))
            return opened.withLock { vaults in
                if let existing = vaults[key] { return existing }
                vaults[key] = vault
                return vault
            }
        }
    }

    /// Unlocks `profile`'s entry now, while credctl still has the terminal to itself.
    public func unlock(profile: String, backend: VaultBackendKind?) throws(AWSError) {
        let vault = try opener(backend)
        do { _ = try vault.entry(profile: profile) } catch { throw error.awsError }
    }
}

/// A backend whose unlocked entries are remembered; everything else goes through.
final class RememberingBackend: VaultBackend {
    let inner: any VaultBackend
    private let entries = Mutex<[String: VaultEntry]>([:])

    init(_ inner: any VaultBackend) { self.inner = inner }

    var kind: VaultBackendKind { inner.kind }
    var location: String { inner.location }
    func list() throws(VaultError) -> [VaultListing] { try inner.list() }
    func metadata(_ profile: String) throws(VaultError) -> VaultEntryMetadata? { try inner.metadata(profile) }
    func store(_ entries: [VaultEntry], replace: Bool) throws(VaultError) { try inner.store(entries, replace: replace) }
    func remove(_ profiles: [String]) throws(VaultError) { try inner.remove(profiles) }
    func session(_ profile: String) throws(VaultError) -> [UInt8]? { try inner.session(profile) }
    func storeSession(_ profile: String, _ plaintext: [UInt8]) throws(VaultError) { try inner.storeSession(profile, plaintext) }

    func entry(_ profile: String) throws(VaultError) -> VaultEntry {
        if let known = entries.withLock({ $0[profile] }) { return known }
        let entry = try inner.entry(profile)
        entries.withLock { $0[profile] = entry }
        return entry
    }
}
