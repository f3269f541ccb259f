import AWSConfig
import AWSCore
import SigV4

/// The vault the commands use: long-term keys by profile, in the backend the settings choose.
///
///     let settings = try VaultSettings.resolve(environment: env)
///     let passphrase = PassphraseSource(.resolve(command: flag, environment: env), environment: env)
///     let vault = Vault(settings: settings, passphrase: passphrase, environment: env)
///     try vault.add(profile: "prod", accessKeyId: id, secretAccessKey: secret, now: WallClock.now())
///     let keys = try vault.credentials(profile: "prod")
public struct Vault: Sendable {
    public let settings: VaultSettings?
    public let backend: any VaultBackend

    public init(settings: VaultSettings, passphrase: PassphraseSource, environment: Environment) {
        self.settings = settings
        switch settings.backend {
        case .file: backend = FileVaultBackend(path: settings.filePath, passphrase: passphrase)
        case .secretService: backend = SecretServiceBackend(environment: environment)
        }
    }

    /// A vault over a backend built by hand (tests, other stores).
    public init(backend: any VaultBackend) {
        settings = nil
        self.backend = backend
    }

    /// Which backend is in use, where, and why: `file /home/me/.aws/credctl/vault.json (from default)`.
    public var description: String { settings?.description ?? backend.location }

    /// Stores a long-term key for `profile`; refuses a profile the vault holds unless `replace`.
    public func add(profile: String, accessKeyId: String, secretAccessKey: String, mfaSerial: String? = nil,
                    session: SessionCredentialSettings = .init(), replace: Bool = false, now: Int) throws(VaultError) {
        try backend.store([VaultEntry(profile: profile, accessKeyId: accessKeyId, secretAccessKey: secretAccessKey,
                                      added: now, mfaSerial: mfaSerial, session: session)], replace: replace)
    }

    /// Several entries at once (import): all stored, or none.
    public func add(_ entries: [VaultEntry], replace: Bool = false) throws(VaultError) {
        try backend.store(entries, replace: replace)
    }

    /// Every profile the vault holds, by name, key ids masked, with when each was added; no
    /// passphrase needed. (A keyring returns its items in an order of its own.)
    public func list() throws(VaultError) -> [VaultListing] {
        try backend.list().sorted { $0.profile < $1.profile }
    }

    public func remove(profile: String) throws(VaultError) {
        try backend.remove([profile])
    }

    /// The clear fields of a profile's entry (MFA serial, session settings) without unlocking
    /// anything: enough to find cached session credentials.
    public func metadata(profile: String) throws(VaultError) -> VaultEntryMetadata {
        guard let m = try backend.metadata(profile) else { throw .notFound(profile: profile, vault: backend.location) }
        return m
    }

    /// The whole entry, unlocked.
    public func entry(profile: String) throws(VaultError) -> VaultEntry {
        try backend.entry(profile)
    }

    /// The session credentials kept sealed with `profile`'s entry (what `storeSession` was
    /// given), nil when there are none for the entry as it is now.
    public func session(profile: String) throws(VaultError) -> [UInt8]? {
        try backend.session(profile)
    }

    /// Keeps session credentials sealed with `profile`'s entry, until the entry is replaced or removed.
    public func storeSession(profile: String, _ plaintext: [UInt8]) throws(VaultError) {
        try backend.storeSession(profile, plaintext)
    }

    /// The long-term key of `profile`.
    public func credentials(profile: String) throws(VaultError) -> SigningCredentials {
        try backend.entry(profile).signing
    }
}
