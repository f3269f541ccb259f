import AWSCore

/// `credctl cached` results kept without an agent: in the vault file beside the entries, each
/// sealed under the vault key with its id and expiry bound in (`VaultDocument`), so that no
/// clear copy is ever on disk, and reading one needs the vault unlocked as an entry does. The
/// caller names a result by an id of its own (a digest of the command line) and decides what is
/// worth keeping; this file keeps it bounded: every store drops what has expired, and past
/// `cachedResultLimit` the results expiring soonest.
extension FileVaultBackend {
    /// At most this many results are kept (one per command line still valid).
    public static let cachedResultLimit = 32

    /// Whether the vault file exists: results are kept only in a vault the user made.
    public func exists() throws(VaultError) -> Bool { try read() != nil }

    /// What was stored under `id`, nil when there is none, it has expired (by its clear expiry),
    /// or it does not open under the vault key (edited, moved from another id, sealed under an
    /// older key): the caller runs its command again and stores the new result over it.
    public func cachedResult(_ id: String, now: Int) throws(VaultError) -> [UInt8]? {
        guard let document = try read(), let stored = document.cachedResults.first(where: { $0.id == id }), stored.expires > now else {
            return nil
        }
        let key = try unlock(document)
        return key.open(stored.sealed, associatedData: VaultDocument.cachedResultAssociatedData(id: id, expires: stored.expires))
    }

    /// Seals `plaintext` under `id`, replacing what was there; nil `plaintext` only removes it.
    /// Expired results of every id go at the same time. Nothing is written when no vault exists.
    public func storeCachedResult(_ id: String, _ plaintext: [UInt8]?, expires: Int, now: Int) throws(VaultError) {
        // No vault: no folder or lock is made for a result either.
        guard try read() != nil else { return }
        try locked { () throws(VaultError) in
            guard var document = try read() else { return }
            let key = try unlock(document)
            var kept = document.cachedResults.filter { $0.id != id && $0.expires > now }
            if let plaintext {
                let sealed = try key.seal(plaintext, associatedData: VaultDocument.cachedResultAssociatedData(id: id, expires: expires))
                kept.append(VaultDocument.CachedResult(id: id, expires: expires, sealed: sealed))
            }
            if kept.count > Self.cachedResultLimit {
                kept = Array(kept.sorted { $0.expires > $1.expires }.prefix(Self.cachedResultLimit))
            }
            if kept == document.cachedResults { return }
            document.cachedResults = kept
            try write(document)
        }
    }
}
