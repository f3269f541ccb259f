import AWSConfig
import AWSCore
import Synchronization

/// The `file` backend: one JSON file (mode 0600, folder 0700) whose entries are each sealed
/// with AES-256-GCM under a key scrypt derives from the passphrase. The passphrase is checked
/// against the file's key-check value before any entry is opened or anything is written, so
/// a wrong one changes nothing. Every change is a read-modify-write under a file lock, written
/// atomically (`SecretFile.write`) and read back before it is reported done.
public struct FileVaultBackend: VaultBackend {
    public let kind = VaultBackendKind.file
    public let path: String
    public let passphrase: PassphraseSource
    /// The scrypt cost of a new vault (an existing one keeps what its file records).
    public let cost: (n: UInt64, r: UInt64, p: UInt64)
    /// The key once derived, so that one run (or one credentials server) asks for the
    /// passphrase and pays for scrypt once: reading a session, the entry and storing the new
    /// session share it. Kept for this backend value's life only, never on disk.
    let unlocked = UnlockedKey()

    public init(path: String, passphrase: PassphraseSource, cost: (n: UInt64, r: UInt64, p: UInt64) = ScryptParameters.defaultCost) {
        self.path = path
        self.passphrase = passphrase
        self.cost = cost
    }

    public var location: String { "file \(path)" }
    var lockPath: String { path + ".lock" }

    public func list() throws(VaultError) -> [VaultListing] {
        (try read()?.entries ?? []).map { VaultListing(profile: $0.profile, metadata: $0.metadata, backend: location) }
    }

    public func metadata(_ profile: String) throws(VaultError) -> VaultEntryMetadata? {
        try read()?.entry(profile)?.metadata
    }

    public func entry(_ profile: String) throws(VaultError) -> VaultEntry {
        guard let document = try read(), let stored = document.entry(profile) else {
            throw .notFound(profile: profile, vault: path)
        }
        return try open(stored, key: try unlock(document))
    }

    public func store(_ entries: [VaultEntry], replace: Bool) throws(VaultError) {
        for entry in entries { try VaultInputRules.check(entry) }
        try checkDistinct(entries.map(\.profile))
        try locked { () throws(VaultError) in
            let existing = try read()
            if !replace, let existing, let taken = entries.first(where: { existing.entry($0.profile) != nil }) {
                throw .alreadyExists(profile: taken.profile, vault: path)
            }
            var document: VaultDocument
            let key: VaultKey
            if let existing {
                document = existing
                key = try unlock(existing)
            } else {
                (document, key) = try create()
            }
            for entry in entries {
                let stored = VaultDocument.StoredEntry(
                    profile: entry.profile, metadata: entry.metadata,
                    sealed: try key.seal(SealedKeys.plaintext(entry),
                                         associatedData: VaultDocument.entryAssociatedData(profile: entry.profile, metadata: entry.metadata)))
                if let index = document.entries.firstIndex(where: { $0.profile == entry.profile }) {
                    document.entries[index] = stored
                } else {
                    document.entries.append(stored)
                }
            }
            try write(document)
            guard let reread = try read() else { throw .io("\(path) vanished right after it was written") }
            for entry in entries {
                guard let stored = reread.entry(entry.profile), try open(stored, key: key) == entry else {
                    throw .io("\(path) did not read back what was written for profile '\(entry.profile)'")
                }
            }
        }
    }

    public func remove(_ profiles: [String]) throws(VaultError) {
        try checkDistinct(profiles)
        // Nothing to remove from a vault that does not exist: no folder or lock is made for it.
        guard try read() != nil else { throw .notFound(profile: profiles.first ?? "", vault: path) }
        try locked { () throws(VaultError) in
            guard var document = try read() else { throw .notFound(profile: profiles.first ?? "", vault: path) }
            if let missing = profiles.first(where: { document.entry($0) == nil }) { throw .notFound(profile: missing, vault: path) }
            _ = try unlock(document)
            document.entries.removeAll { profiles.contains($0.profile) }
            try write(document)
        }
    }

    public func session(_ profile: String) throws(VaultError) -> [UInt8]? {
        guard let document = try read(), let stored = document.entry(profile), let sealed = stored.session else { return nil }
        return try unlock(document).open(sealed, associatedData: VaultDocument.sessionAssociatedData(stored))
    }

    public func storeSession(_ profile: String, _ plaintext: [UInt8]) throws(VaultError) {
        try locked { () throws(VaultError) in
            guard var document = try read(), let index = document.entries.firstIndex(where: { $0.profile == profile }) else { return }
            let key = try unlock(document)
            let stored = document.entries[index]
            document.entries[index].session = try key.seal(plaintext, associatedData: VaultDocument.sessionAssociatedData(stored))
            try write(document)
        }
    }

    // MARK: Steps

    /// The file, nil when there is none yet.
    func read() throws(VaultError) -> VaultDocument? {
        let bytes: [UInt8]?
        do { bytes = try LocalFile.read(path) } catch { throw .io(error.description) }
        guard let bytes else { return nil }
        return try VaultDocument(parsing: bytes, path: path)
    }

    func write(_ document: VaultDocument) throws(VaultError) {
        // Through a symbolic link the user made (as the credentials file is), never replacing it.
        do { try SecretFile.write(document.serialized, to: LocalFile.resolvingSymlinks(path)) } catch { throw .io(error.description) }
    }

    /// The key, once the passphrase has opened the key-check value.
    func unlock(_ document: VaultDocument) throws(VaultError) -> VaultKey {
        let checkData = VaultDocument.keyCheckAssociatedData(document.kdf)
        if let known = unlocked.key(for: checkData), known.open(document.keyCheck, associatedData: checkData) == VaultDocument.keyCheckPlaintext {
            return known
        }
        var secret = try passphrase.passphrase(newVault: false, vault: path)
        let key = try VaultKey.derive(passphrase: &secret, parameters: document.kdf)
        guard key.open(document.keyCheck, associatedData: checkData) == VaultDocument.keyCheckPlaintext else {
            throw .wrongPassphrase(vault: path)
        }
        unlocked.remember(key, for: checkData)
        return key
    }

    /// A new, empty vault: a fresh salt, a new passphrase, its key-check value.
    func create() throws(VaultError) -> (VaultDocument, VaultKey) {
        let parameters = try ScryptParameters.fresh(cost: cost)
        var secret = try passphrase.passphrase(newVault: true, vault: path)
        let key = try VaultKey.derive(passphrase: &secret, parameters: parameters)
        let check = try key.seal(VaultDocument.keyCheckPlaintext, associatedData: VaultDocument.keyCheckAssociatedData(parameters))
        return (VaultDocument(kdf: parameters, keyCheck: check, entries: []), key)
    }

    func open(_ stored: VaultDocument.StoredEntry, key: VaultKey) throws(VaultError) -> VaultEntry {
        let associated = VaultDocument.entryAssociatedData(profile: stored.profile, metadata: stored.metadata)
        guard var plaintext = key.open(stored.sealed, associatedData: associated),
              let keys = SealedKeys.keys(from: &plaintext),
              Redaction.keyId(keys.keyId) == stored.metadata.maskedKeyId else {
            throw .corruptEntry(profile: stored.profile, vault: path)
        }
        return VaultEntry(profile: stored.profile, accessKeyId: keys.keyId, secretAccessKey: keys.secret, metadata: stored.metadata)
    }

    /// Runs `body` holding the vault's lock (waiting up to 30 s for another credctl), the
    /// folder created 0700 first.
    func locked(_ body: () throws(VaultError) -> Void) throws(VaultError) {
        do { try SecretFile.makePrivateDirectory(SecretFile.directory(of: path)) } catch { throw .io(error.description) }
        let lock: FileLock
        do { lock = try FileLock.acquire(lockPath, waitingUpTo: 30) } catch {
            switch error {
            case .held(let pid): throw .io("the vault \(path) is in use by another credctl\(pid.map { " (pid \($0))" } ?? ""); retry when it is done")
            case .unusable(let lockPath, let reason): throw .io("cannot lock \(lockPath): \(reason)")
            }
        }
        defer { lock.release() }
        try body()
    }

    func checkDistinct(_ profiles: [String]) throws(VaultError) {
        if Set(profiles).count != profiles.count { throw .invalidInput("a profile is named twice") }
    }
}

/// The key a `FileVaultBackend` derived, by the key-check data it was derived for (the scrypt
/// parameters and salt), so that a vault re-created under another passphrase is unlocked anew.
final class UnlockedKey: Sendable {
    private let state = Mutex<(checkData: [UInt8], key: VaultKey)?>(nil)

    func key(for checkData: [UInt8]) -> VaultKey? {
        state.withLock { known in known.flatMap { $0.checkData == checkData ? $0.key : nil } }
    }

    func remember(_ key: VaultKey, for checkData: [UInt8]) {
        state.withLock { $0 = (checkData, key) }
    }
}
