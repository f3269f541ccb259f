import AWSConfig

/// A store of vault entries. Reading the clear fields (`list`, `metadata`) never needs the
/// passphrase or an unlocked keyring; everything that reads or changes a key does.
public protocol VaultBackend: Sendable {
    var kind: VaultBackendKind { get }
    /// Which backend and where, in words: `file /home/me/.aws/credctl/vault.json`.
    var location: String { get }
    func list() throws(VaultError) -> [VaultListing]
    /// The clear fields of one entry, nil when there is none.
    func metadata(_ profile: String) throws(VaultError) -> VaultEntryMetadata?
    func entry(_ profile: String) throws(VaultError) -> VaultEntry
    /// Adds the entries (replacing entries of the same profiles only when `replace`), all or none,
    /// and reads each back before returning.
    func store(_ entries: [VaultEntry], replace: Bool) throws(VaultError)
    /// Removes the entries; every profile must be there, or nothing changes.
    func remove(_ profiles: [String]) throws(VaultError)
    /// The session credentials last stored with `profile`'s entry (as given to `storeSession`),
    /// nil when there are none, or none that open beside the entry as it is now. Reading them
    /// needs what reading the entry needs (the passphrase, an unlocked keyring): a backend keeps
    /// them sealed, or keeps none.
    func session(_ profile: String) throws(VaultError) -> [UInt8]?
    /// Keeps `plaintext` (session credentials) with `profile`'s entry, sealed; replacing or
    /// removing the entry removes it. Dropped when the entry is gone or changed meanwhile.
    func storeSession(_ profile: String, _ plaintext: [UInt8]) throws(VaultError)
}
