import AWSConfig
import AWSCore
import Vault
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `vault import` and `vault export`: moving long-term keys between the shared credentials
/// file and the vault, under the lock every credctl write of the credentials file takes.
///
/// Import order, so that a kill at any point leaves every profile working: the keys go into
/// the vault (and are read back); the config file gets the profile's `credential_process`;
/// the credentials file loses the two key lines (atomically, every other byte kept); then
/// `FILE.credctl-backup` is deleted, since it may hold the keys in clear (credctl's earlier
/// writes keep the previous file there). Running it again finishes an interrupted import.
public struct VaultTransfer: Sendable {
    public let vault: Vault
    public let credentialsPath: String
    public let configPath: String
    public let state: RotationState

    public init(vault: Vault, credentialsPath: String, configPath: String, state: RotationState) {
        self.vault = vault
        self.credentialsPath = credentialsPath
        self.configPath = configPath
        self.state = state
    }

    public struct ImportReport: Sendable {
        /// Profiles whose keys are now only in the vault.
        public var imported: [String]
        /// Of those, the ones the vault already held with the same key (an interrupted import finished).
        public var alreadyInVault: [String]
        public var skipped: [SkippedProfile]
        /// The backup deleted because it could hold the keys in clear.
        public var backupRemoved: String?
    }

    public struct ExportReport: Sendable {
        public var profile: String
        public var credentialsFile: String
        public var credentialProcessRemoved: Bool
        public var removedFromVault: Bool
    }

    /// Moves `profiles` (nil: every profile holding a long-term key) into the vault; `program`
    /// is how `credential_process` names credctl.
    public func importProfiles(_ profiles: [String]?, program: String, session: SessionCredentialSettings = .init(),
                               replace: Bool = false, now: Int) throws(AWSError) -> ImportReport {
        try locked { () throws(AWSError) -> ImportReport in
            let credentialsTarget = LocalFile.resolvingSymlinks(credentialsPath)
            let configTarget = LocalFile.resolvingSymlinks(configPath)
            let editor = try CredentialsFileUpdate.read(credentialsTarget)
            let configBytes = try read(configTarget)
            let plan: VaultImportPlan
            do throws(VaultError) {
                plan = try VaultFileTransfer.importPlan(credentials: editor, configPath: configTarget, configBytes: configBytes,
                                                        profiles: profiles, program: program, backend: vault.settings?.backend,
                                                        session: session, now: now)
            } catch { throw error.awsError }
            guard !plan.entries.isEmpty else {
                let reasons = plan.skipped.map { "\($0.profile): \($0.reason)" }.joined(separator: "; ")
                throw .configuration(ConfigurationError("no profile in \(credentialsTarget) holds a long-term key to import\(reasons.isEmpty ? "" : " (\(reasons))")"))
            }
            let already = try storeInVault(plan.entries, replace: replace)
            if plan.config != configBytes {
                try write(plan.config, to: configTarget, mode: Self.mode(of: configTarget) ?? 0o600)
            }
            try write(plan.credentials, to: credentialsTarget, mode: 0o600)
            let backup = credentialsTarget + ".credctl-backup"
            let removed = access(backup, F_OK) == 0 && unlink(backup) == 0
            return ImportReport(imported: plan.entries.map(\.profile), alreadyInVault: already, skipped: plan.skipped,
                                backupRemoved: removed ? backup : nil)
        }
    }

    /// Puts `profile`'s keys back into the credentials file and takes credctl's
    /// `credential_process` out of its config section; the vault keeps them unless `removeFromVault`.
    public func exportProfile(_ profile: String, removeFromVault: Bool = false) throws(AWSError) -> ExportReport {
        try locked { () throws(AWSError) -> ExportReport in
            let entry: VaultEntry
            do throws(VaultError) { entry = try vault.entry(profile: profile) } catch { throw error.awsError }
            let credentialsTarget = LocalFile.resolvingSymlinks(credentialsPath)
            let configTarget = LocalFile.resolvingSymlinks(configPath)
            let editor = try CredentialsFileUpdate.read(credentialsTarget)
            let configBytes = try read(configTarget)
            let plan: (credentials: [UInt8], config: [UInt8])
            do throws(VaultError) {
                plan = try VaultFileTransfer.exportPlan(entry: entry, credentials: editor, configPath: configTarget, configBytes: configBytes)
            } catch { throw error.awsError }
            try write(plan.credentials, to: credentialsTarget, mode: 0o600)
            if plan.config != configBytes {
                try write(plan.config, to: configTarget, mode: Self.mode(of: configTarget) ?? 0o600)
            }
            if removeFromVault {
                do throws(VaultError) { try vault.remove(profile: profile) } catch { throw error.awsError }
            }
            return ExportReport(profile: profile, credentialsFile: credentialsTarget, credentialProcessRemoved: plan.config != configBytes,
                                removedFromVault: removeFromVault)
        }
    }

    // MARK: Steps

    /// Stores the entries the vault does not already hold with the same key; returns those it did.
    func storeInVault(_ entries: [VaultEntry], replace: Bool) throws(AWSError) -> [String] {
        var already: [String] = []
        var toStore: [VaultEntry] = []
        do throws(VaultError) {
            let held = Set(try vault.list().map(\.profile))
            for entry in entries {
                if held.contains(entry.profile) {
                    let existing = try vault.entry(profile: entry.profile)
                    if existing.accessKeyId == entry.accessKeyId, existing.secretAccessKey == entry.secretAccessKey {
                        already.append(entry.profile)
                        continue
                    }
                    if !replace { throw VaultError.alreadyExists(profile: entry.profile, vault: vault.description) }
                }
                toStore.append(entry)
            }
            if !toStore.isEmpty { try vault.add(toStore, replace: replace) }
        } catch { throw error.awsError }
        return already
    }

    func locked<T>(_ body: () throws(AWSError) -> T) throws(AWSError) -> T {
        try state.prepare()
        let lock: FileLock
        do { lock = try FileLock.acquire(state.credentialsFileLockPath, waitingUpTo: 30) } catch {
            throw .configuration(ConfigurationError("cannot lock \(state.credentialsFileLockPath): \(error)"))
        }
        defer { lock.release() }
        return try body()
    }

    func read(_ path: String) throws(AWSError) -> [UInt8] {
        do { return try LocalFile.read(path) ?? [] } catch { throw error.awsError }
    }

    func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws(AWSError) {
        do {
            try SecretFile.makeDirectory(SecretFile.directory(of: path))
            try SecretFile.write(bytes, to: path, mode: mode)
        } catch {
            throw error.awsError
        }
    }

    static func mode(of path: String) -> mode_t? {
        var st = stat()
        return stat(path, &st) == 0 ? st.st_mode & 0o777 : nil
    }
}
