import AWSConfig
import AWSCore
import AWSCredentials
import SecretCrypto
import Vault

/// `credctl cached` without an agent: a command line's result sealed in the user's vault file
/// (`FileVaultBackend.cachedResult`, under the vault key, never in clear on disk), served while
/// it has 15 minutes or more left. Used only where the vault opens without a question that would
/// hang a tool: the file backend, an existing vault, and a passphrase from
/// `CREDCTL_VAULT_PASSPHRASE` or `CREDCTL_VAULT_PASSPHRASE_COMMAND`. Anywhere else (no vault, a
/// passphrase only a prompt could give, the keyring backend, which keeps nothing but entries)
/// CMD runs every time, and `--debug` says why.
struct SealedCachedResults {
    let vault: FileVaultBackend
    /// Where the per-command-line locks are (`<state>/cached`).
    let lockFolder: String
    let now: @Sendable () -> Int
    let log: DebugLog
    /// How long a caller waits for another running the same line (its CMD ends by then).
    var lockWait: Double = Subprocess.Limits.defaultTimeout + 5

    /// The cache of this user's vault, nil (and why, logged) when it cannot be used silently.
    static func open(environment: Environment, log: DebugLog) -> SealedCachedResults? {
        let without = "credctl cached: no agent, and results are not kept"
        let settings: VaultSettings
        do { settings = try VaultSettings.resolve(environment: environment) } catch {
            log("\(without): \(error); CMD runs every time")
            return nil
        }
        guard settings.backend == .file else {
            log("\(without): the \(settings.backend.rawValue) vault backend keeps no cached results; CMD runs every time")
            return nil
        }
        let passphrase = PassphraseSource(.resolve(command: nil, environment: environment), environment: environment)
        guard passphrase.origin != .prompt else {
            log("\(without): the vault's passphrase would need a prompt (set \(PassphraseSource.variable) or "
                + "\(PassphraseSource.commandVariable) to keep results sealed in the vault); CMD runs every time")
            return nil
        }
        let vault = FileVaultBackend(path: settings.filePath, passphrase: passphrase)
        do {
            guard try vault.exists() else {
                log("\(without): there is no vault at \(settings.filePath) to seal them in; CMD runs every time")
                return nil
            }
        } catch {
            log("\(without): \(error); CMD runs every time")
            return nil
        }
        return SealedCachedResults(vault: vault, lockFolder: StatePaths.resolve(environment).state + "/cached",
                                   now: { WallClock.now() }, log: log)
    }

    /// `key`'s result: the sealed one while it has 15 minutes or more left, else `run`'s,
    /// sealed when it has an Expiration 15 minutes or more away. Callers running the same line
    /// at once take turns (a lock per line), so CMD runs once. A vault that cannot be read or
    /// written, or a lock that cannot be had, only costs the cache: CMD runs, logged.
    func result(key: String, origin: String, run: () throws(AWSError) -> Credentials) throws(AWSError) -> Credentials {
        let lock: FileLock
        do {
            try SecretFile.makePrivateDirectory(lockFolder)
            lock = try FileLock.acquire("\(lockFolder)/\(key).lock", waitingUpTo: lockWait)
        } catch {
            log("credctl cached: cannot lock \(lockFolder)/\(key).lock (\(error)); CMD runs, its result not kept")
            return try run()
        }
        defer { lock.release() }
        var stale = false
        do {
            if var plaintext = try vault.cachedResult(key, now: now()) {
                defer { SecretCrypto.wipe(&plaintext) }
                if let held = usable(plaintext, origin: origin) { return held }
                stale = true
            }
        } catch {
            log("credctl cached: the vault \(vault.path) did not open (\(error)); CMD runs, its result not kept")
            return try run()
        }
        let fresh = try run()
        store(fresh, key: key, replacing: stale)
        return fresh
    }

    /// The kept result, checked as CMD's own output is and with 15 minutes or more left; nil
    /// (logged) otherwise.
    func usable(_ plaintext: [UInt8], origin: String) -> Credentials? {
        guard let kept = try? ProcessCredentialsProvider.checked(plaintext, origin: origin), let expiration = kept.expiration else {
            log("credctl cached: the result kept in the vault does not read as a credential_process result; CMD runs again")
            return nil
        }
        guard expiration - now() >= CredentialCache.refreshWindow else {
            log("credctl cached: the kept result expires at \(Timestamp.format(expiration)), within 15 minutes; CMD runs again")
            return nil
        }
        log("credctl cached: the result kept sealed in the vault, valid until \(Timestamp.format(expiration))")
        return Credentials(signing: kept.credentials, expiration: expiration,
                           provenance: Provenance(provider: .process, rule: "credctl cached", fromCache: true), accountId: kept.accountId)
    }

    /// Seals `fresh` when it is worth keeping (an Expiration 15 minutes or more away); else
    /// removes a stale result kept under the same key.
    func store(_ fresh: Credentials, key: String, replacing stale: Bool) {
        guard let expiration = fresh.expiration, expiration - now() >= CredentialCache.refreshWindow else {
            log("credctl cached: CMD's result has \(fresh.expiration == nil ? "no Expiration" : "less than 15 minutes left"); not kept")
            if stale { try? vault.storeCachedResult(key, nil, expires: 0, now: now()) }
            return
        }
        do {
            var plaintext = Array(try CredentialExport(credentials: fresh, region: nil).render(.process).utf8)
            defer { SecretCrypto.wipe(&plaintext) }
            try vault.storeCachedResult(key, plaintext, expires: expiration, now: now())
            log("credctl cached: the result kept sealed in the vault \(vault.path) until \(Timestamp.format(expiration))")
        } catch {
            log("credctl cached: the result could not be kept in the vault (\(error))")
        }
    }
}
