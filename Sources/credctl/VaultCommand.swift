import ArgumentParser
import AWSCore
import AWSCredentials
import Vault
import Workflows

extension VaultBackendKind: ExpressibleByArgument {}

struct VaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "Keep long-term keys in an encrypted vault instead of ~/.aws/credentials.",
        discussion: """
            Backends: file (~/.aws/credctl/vault.json, AES-256-GCM under a scrypt key from a passphrase;
            CREDCTL_VAULT_FILE moves it) and secret-service (GNOME Keyring, KWallet through secret-tool).
            Choose with --backend or CREDCTL_VAULT_BACKEND. The passphrase comes from --passphrase-command,
            CREDCTL_VAULT_PASSPHRASE, CREDCTL_VAULT_PASSPHRASE_COMMAND or a prompt on the terminal.
            Imported profiles get `credential_process = credctl vault credential-process --profile P`, so
            the AWS CLI and every SDK receive session credentials from GetSessionToken, never the key.
            See docs/vault.md for the threat model.

            \(ExitStatus.helpText)
            """,
        subcommands: [VaultAddCommand.self, VaultListCommand.self, VaultRemoveCommand.self, VaultImportCommand.self,
                      VaultExportCommand.self, VaultCredentialProcessCommand.self]
    )
}

/// Which vault, and how to open it.
struct VaultOptions: ParsableArguments {
    @Option(help: "file or secret-service (default: CREDCTL_VAULT_BACKEND, else file).")
    var backend: VaultBackendKind?

    @Option(name: .customLong("passphrase-command"), help: "A command (run without a shell) whose output is the file vault's passphrase.")
    var passphraseCommand: String?

    func vault(_ environment: Environment) throws(AWSError) -> Vault {
        let settings: VaultSettings
        do { settings = try VaultSettings.resolve(flag: backend, environment: environment) } catch { throw error.awsError }
        return Vault(settings: settings, passphrase: PassphraseSource(passphraseCommand: passphraseCommand, environment: environment),
                     environment: environment)
    }
}

/// The session settings of a profile being added or imported.
struct VaultSessionOptions: ParsableArguments {
    @Flag(name: .customLong("long-term-key"), help: "Hand consumers the long-term key itself instead of GetSessionToken session credentials.")
    var longTermKey = false

    @Option(name: .customLong("session-duration"), help: "Seconds each session lasts (900 to 129600; default 3600).")
    var sessionDuration: Int?

    @Option(name: .customLong("mfa-serial"), help: "The MFA device to use with GetSessionToken (default: the profile's mfa_serial).")
    var mfaSerial: String?

    func validate() throws {
        if let d = sessionDuration, let problem = VaultInputRules.durationProblem(d) { throw ValidationError(problem) }
    }

    var settings: SessionCredentialSettings { SessionCredentialSettings(useSessionToken: !longTermKey, durationSeconds: sessionDuration) }
}

/// Runs a vault command body: vault errors become the core library's, so they get their exit codes.
func reportingVaultErrors(_ body: () throws -> Void) throws {
    try reportingErrors {
        do { try body() } catch let error as VaultError { throw error.awsError }
    }
}

struct VaultAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Store a long-term key for a profile (key id and secret from stdin or a prompt, never arguments).",
        discussion: "printf '%s\\n%s\\n' \"$KEY_ID\" \"$SECRET\" | credctl vault add prod")

    @Argument(help: "The profile name.") var name: String
    @OptionGroup var vault: VaultOptions
    @OptionGroup var sessionOptions: VaultSessionOptions
    @Flag(help: "Replace the keys the vault holds for this profile.") var replace = false
    @Option(help: "Output format: json, text or table.") var output: OutputFormat = .table

    func run() throws {
        try reportingVaultErrors {
            let environment = Environment.current()
            let keyId = try readLine(prompt: "Access key id: ", secret: false)
            let secret = try readLine(prompt: "Secret access key (not shown): ", secret: true)
            let vault = try vault.vault(environment)
            try vault.add(profile: name, accessKeyId: keyId, secretAccessKey: secret, mfaSerial: sessionOptions.mfaSerial,
                          session: sessionOptions.settings, replace: replace, now: WallClock.now())
            StandardStream.output.write(RecordOutput(fields: [
                ("profile", "Profile", name), ("access_key_id", "Access key", Redaction.keyId(keyId)), ("vault", "Vault", vault.description),
            ], json: .object([("Profile", .string(name)), ("AccessKeyId", .string(Redaction.keyId(keyId))),
                              ("Vault", .string(vault.description))])).render(output))
        }
    }

    func readLine(prompt: String, secret: Bool) throws -> String {
        let terminal = StandardStream.input.isTerminal
        if terminal { StandardStream.error.write(prompt) }
        let line = secret && terminal ? StandardStream.input.readLineWithoutEcho() : StandardStream.input.readLine()
        if terminal && secret { StandardStream.error.write("\n") }
        guard let text = line?.trimmingSpaces().replacing("\r", with: ""), !text.isEmpty else {
            throw CommandInputError("give the access key id and the secret access key on standard input, one per line")
        }
        return text
    }
}

struct VaultListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The profiles the vault holds (key ids masked, age, backend); no passphrase needed.")

    @OptionGroup var vault: VaultOptions
    @Option(help: "Output format: json, text or table.") var output: OutputFormat = .table

    func run() throws {
        try reportingVaultErrors {
            let vault = try vault.vault(Environment.current())
            let now = WallClock.now()
            let listing = try vault.list()
            func session(_ m: VaultEntryMetadata) -> String {
                m.session.useSessionToken ? "session \(m.session.durationSeconds ?? SessionCredentialSettings.defaultDurationSeconds)s" : "long-term key"
            }
            StandardStream.output.write(RowsOutput(
                columns: ["PROFILE", "ACCESS KEY", "ADDED", "AGE", "HANDS OUT", "MFA", "BACKEND"],
                rows: listing.map { [$0.profile, $0.metadata.maskedKeyId, Timestamp.format($0.metadata.added), "\($0.ageDays(now: now))d",
                                     session($0.metadata), $0.metadata.mfaSerial ?? "-", $0.backend] },
                json: .object([("Vault", .string(vault.description)), ("Profiles", .array(listing.map { l in .object([
                    ("Profile", .string(l.profile)), ("AccessKeyId", .string(l.metadata.maskedKeyId)),
                    ("Added", .string(Timestamp.format(l.metadata.added))), ("AgeDays", .number(l.ageDays(now: now))),
                    ("SessionCredentials", .bool(l.metadata.session.useSessionToken)),
                    ("SessionDurationSeconds", l.metadata.session.durationSeconds.map { .number($0) } ?? .null),
                    ("MFASerial", .optional(l.metadata.mfaSerial)),
                ]) }))])).render(output))
        }
    }
}

struct VaultRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Delete a profile's keys from the vault (the passphrase is checked first).")

    @Argument(help: "The profile name.") var name: String
    @OptionGroup var vault: VaultOptions

    func run() throws {
        try reportingVaultErrors {
            let vault = try vault.vault(Environment.current())
            try vault.remove(profile: name)
            StandardStream.output.write("Removed the keys of profile \(name) from the vault \(vault.description).\n")
        }
    }
}

/// How `credential_process` names this binary: its absolute path, so other tools find it without PATH.
func credctlProgramPath() -> String {
    LocalFile.resolvingSymlinks("/proc/self/exe")
}

struct VaultImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Move a profile's keys (--profile P) or every profile's (--all) from ~/.aws/credentials into the vault.",
        discussion: """
            Afterwards the key is in clear nowhere under ~/.aws: the two key lines leave the credentials file
            (every other byte kept), its .credctl-backup is deleted (it may hold the keys), and the profile's
            config section gets credential_process = credctl vault credential-process --profile P.
            Rerunning finishes an interrupted import.
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Every profile of the credentials file that holds a long-term key.") var all = false
    @OptionGroup var vault: VaultOptions
    @OptionGroup var sessionOptions: VaultSessionOptions
    @Flag(help: "Replace keys the vault already holds for these profiles.") var replace = false

    func validate() throws {
        if all == (global.profile != nil) { throw ValidationError("give --profile NAME or --all") }
    }

    func run() throws {
        try reportingVaultErrors {
            let environment = Environment.current()
            let files = try global.session().files
            let transfer = VaultTransfer(vault: try vault.vault(environment), credentialsPath: files.credentialsPath,
                                         configPath: files.configPath, state: RotationState.standard(environment))
            let report = try transfer.importProfiles(all ? nil : global.profile.map { [$0] }, program: credctlProgramPath(),
                                                     session: sessionOptions.settings, replace: replace, now: WallClock.now())
            var lines = report.imported.map { "Imported profile \($0) into the vault \(transfer.vault.description)." }
            lines += report.skipped.map { "Skipped profile \($0.profile): \($0.reason)" }
            if let backup = report.backupRemoved { lines.append("Deleted \(backup), which could hold the keys in clear.") }
            StandardStream.output.write(lines.joined(separator: "\n") + "\n")
        }
    }
}

struct VaultExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Put a profile's keys back into ~/.aws/credentials (in clear), on explicit request.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var vault: VaultOptions
    @Flag(name: .customLong("remove-from-vault"), help: "Also delete the keys from the vault.") var removeFromVault = false

    func validate() throws {
        if global.profile == nil { throw ValidationError("give --profile NAME") }
    }

    func run() throws {
        try reportingVaultErrors {
            let environment = Environment.current()
            let files = try global.session().files
            let transfer = VaultTransfer(vault: try vault.vault(environment), credentialsPath: files.credentialsPath,
                                         configPath: files.configPath, state: RotationState.standard(environment))
            let report = try transfer.exportProfile(global.profile!, removeFromVault: removeFromVault)
            StandardStream.output.write("Wrote the keys of profile \(report.profile) to \(report.credentialsFile)"
                                        + (report.removedFromVault ? " and deleted them from the vault" : "") + ".\n")
        }
    }
}

struct VaultCredentialProcessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credential-process",
        abstract: "Print a vault profile's credentials as credential_process JSON (what imported profiles run).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var vault: VaultOptions

    func validate() throws {
        if global.profile == nil { throw ValidationError("give --profile NAME") }
    }

    func run() throws {
        try reportingVaultErrors {
            let environment = Environment.current()
            let session = try global.session()
            let credentials = try VaultSessionCredentials(vault: try vault.vault(environment), profile: global.profile!,
                                                          context: session.credentialContext).credentials()
            StandardStream.output.write(CredentialExport(credentials: credentials, region: nil).render(.process))
        }
    }
}
