import AWSConfig
import AWSCore
import AWSCredentials
import Vault

/// What each `vault` command does; vault errors become the library's, so they get their exit
/// codes (a wrong passphrase, a locked keyring, a missing entry: 3).
public struct VaultWorkflow: Sendable {
    public let vault: Vault
    public let environment: Environment

    public init(backend: VaultBackendKind?, passphraseCommand: String?, environment: Environment) throws(AWSError) {
        let settings: VaultSettings
        do { settings = try VaultSettings.resolve(flag: backend, environment: environment) } catch { throw error.awsError }
        vault = Vault(settings: settings, passphrase: PassphraseSource(.resolve(command: passphraseCommand, environment: environment),
                                                                       environment: environment),
                      environment: environment)
        self.environment = environment
    }

    func run<T>(_ body: () throws(VaultError) -> T) throws(AWSError) -> T {
        do { return try body() } catch { throw error.awsError }
    }

    public func add(profile: String, accessKeyId: String, secretAccessKey: String, mfaSerial: String?, session: SessionCredentialSettings,
                    replace: Bool) throws(AWSError) -> Report {
        if let problem = SharedFileRules.profileNameProblem(profile) { throw .configuration(ConfigurationError(problem)) }
        try run { () throws(VaultError) in
            try vault.add(profile: profile, accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, mfaSerial: mfaSerial,
                          session: session, replace: replace, now: WallClock.now())
        }
        return .record([ReportField("Profile", "Profile", .text(profile)), ReportField("AccessKeyId", "Access key", .text(Redaction.keyId(accessKeyId))),
                        ReportField("Vault", "Vault", .text(vault.description))])
    }

    public func list() throws(AWSError) -> Report {
        let listing = try run { () throws(VaultError) in try vault.list() }
        let now = WallClock.now()
        return Report(parts: [
            (name: nil, section: .record([ReportField("Vault", "Vault", .text(vault.description))]), visibility: .everywhere),
            (name: "Profiles", section: .table(
                [Report.Column("Profile", "Profile"), Report.Column("AccessKeyId", "Access key"), Report.Column("Added", "Added"),
                 Report.Column("AgeDays", "Age"), Report.Column("SessionCredentials", "Session credentials"),
                 Report.Column("SessionDurationSeconds", "Session seconds"), Report.Column("MFASerial", "MFA"), Report.Column("Backend", "Backend")],
                listing.map { l in
                    [.text(l.profile), .text(l.metadata.maskedKeyId), .date(l.metadata.added), .days(l.ageDays(now: now)),
                     .flag(l.metadata.session.useSessionToken),
                     .number(l.metadata.session.durationSeconds ?? (l.metadata.session.useSessionToken ? SessionCredentialSettings.defaultDurationSeconds : nil)),
                     .text(l.metadata.mfaSerial), .text(l.backend)]
                }), visibility: .everywhere),
        ])
    }

    public func remove(profile: String) throws(AWSError) -> Report {
        try run { () throws(VaultError) in try vault.remove(profile: profile) }
        return .record([ReportField("Removed", "Removed", .text(profile)), ReportField("Vault", "Vault", .text(vault.description))])
    }

    public func importProfiles(_ profiles: [String]?, files: (credentials: String, config: String), program: String,
                               session: SessionCredentialSettings, replace: Bool) throws(AWSError) -> Report {
        let transfer = VaultTransfer(vault: vault, credentialsPath: files.credentials, configPath: files.config, state: RotationState.standard(environment))
        let r = try transfer.importProfiles(profiles, program: program, session: session, replace: replace, now: WallClock.now())
        return .record([
            ReportField("Imported", "Imported", .texts(r.imported), display: r.imported.joined(separator: ", ")),
            ReportField("AlreadyInVault", "Already in the vault", .texts(r.alreadyInVault), display: r.alreadyInVault.isEmpty ? nil : r.alreadyInVault.joined(separator: ", ")),
            ReportField("Skipped", "Skipped", .list(r.skipped.map { .record([ReportField("Profile", "", .text($0.profile)), ReportField("Reason", "", .text($0.reason))]) }),
                        display: r.skipped.isEmpty ? nil : r.skipped.map { "\($0.profile): \($0.reason)" }.joined(separator: "; ")),
            ReportField("BackupRemoved", "Backup deleted", .text(r.backupRemoved)),
            ReportField("Vault", "Vault", .text(vault.description)),
        ])
    }

    public func export(profile: String, files: (credentials: String, config: String), removeFromVault: Bool) throws(AWSError) -> Report {
        let transfer = VaultTransfer(vault: vault, credentialsPath: files.credentials, configPath: files.config, state: RotationState.standard(environment))
        let r = try transfer.exportProfile(profile, removeFromVault: removeFromVault)
        return .record([ReportField("Profile", "Profile", .text(r.profile)), ReportField("CredentialsFile", "Written to", .text(r.credentialsFile)),
                        ReportField("CredentialProcessRemoved", "", .flag(r.credentialProcessRemoved)),
                        ReportField("RemovedFromVault", "Removed from the vault", .flag(r.removedFromVault))])
    }

    /// The `credential_process` JSON of a vault profile: session credentials (cached), or the key.
    public func credentialProcess(profile: String, context: CredentialContext) throws(AWSError) -> String {
        let found = try VaultSessionCredentials(vault: vault, profile: profile, context: context).credentials()
        let credentials = try CredentialChecks.usable(found, from: .vault, now: context.now())
        return try CredentialExport(credentials: credentials, region: nil).render(.process)
    }
}
