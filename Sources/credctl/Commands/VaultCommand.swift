import ArgumentParser
import AWSCore
import AWSCredentials
import Vault
import AWSConfig
import Workflows

extension VaultBackendKind: ExpressibleByArgument {}

struct VaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "Keep long-term keys in an encrypted vault instead of ~/.aws/credentials.",
        discussion: HelpText.reflowed("""
            Backends: file (~/.aws/credctl/vault.json, AES-256-GCM under a scrypt key from a passphrase;
            CREDCTL_VAULT_FILE moves it) and secret-service (GNOME Keyring, KWallet through secret-tool).
            Choose with --backend or CREDCTL_VAULT_BACKEND. The passphrase comes from --passphrase-command,
            CREDCTL_VAULT_PASSPHRASE, CREDCTL_VAULT_PASSPHRASE_COMMAND or a prompt on the terminal.
            Imported profiles get `credential_process = credctl vault credential-process --profile P`, so
            the AWS CLI and every SDK receive session credentials from GetSessionToken, never the key.
            See vault.md in share/doc/credctl for the threat model.

            \(ExitStatus.helpText)
            """),
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

    func workflow() throws(AWSError) -> VaultWorkflow {
        try VaultWorkflow(backend: backend, passphraseCommand: passphraseCommand, environment: Environment.current())
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

struct VaultAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Store a long-term key for a profile (key id and secret from stdin or a prompt, never arguments).",
        discussion: "printf '%s\\n%s\\n' \"$KEY_ID\" \"$SECRET\" | credctl vault add prod")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The profile name.") var name: String
    @OptionGroup var vault: VaultOptions
    @OptionGroup var sessionOptions: VaultSessionOptions
    @Flag(help: "Replace the keys the vault holds for this profile.") var replace = false

    func run() throws {
        try Run.offline(global) {
            let keyId = try readLine(prompt: "Access key id: ", secret: false)
            let secret = try readLine(prompt: "Secret access key (not shown): ", secret: true)
            return .report(try vault.workflow().add(profile: name, accessKeyId: keyId, secretAccessKey: secret, mfaSerial: sessionOptions.mfaSerial,
                                                    session: sessionOptions.settings, replace: replace))
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

    @OptionGroup var global: GlobalOptions
    @OptionGroup var vault: VaultOptions

    func run() throws {
        try Run.offline(global) { .report(try vault.workflow().list()) }
    }
}

struct VaultRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Delete a profile's keys from the vault (the passphrase is checked first).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The profile name.") var name: String
    @OptionGroup var vault: VaultOptions

    func run() throws {
        try Run.offline(global) { .report(try vault.workflow().remove(profile: name)) }
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
        discussion: HelpText.reflowed("""
            Afterwards the key is in clear nowhere under ~/.aws: the two key lines leave the credentials file
            (every other byte kept), its .credctl-backup is deleted (it may hold the keys), and the profile's
            config section gets credential_process = credctl vault credential-process --profile P.
            Rerunning finishes an interrupted import.
            """))

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Every profile of the credentials file that holds a long-term key.") var all = false
    @OptionGroup var vault: VaultOptions
    @OptionGroup var sessionOptions: VaultSessionOptions
    @Flag(help: "Replace keys the vault already holds for these profiles.") var replace = false

    func validate() throws {
        if all == (global.profile != nil) { throw ValidationError("give --profile NAME or --all") }
    }

    func run() throws {
        try Run.offline(global) {
            let paths = SharedConfigFiles.paths(Environment.current())
            return .report(try vault.workflow().importProfiles(all ? nil : global.profile.map { [$0] }, files: (paths.credentials, paths.config),
                                                               program: credctlProgramPath(), session: sessionOptions.settings, replace: replace))
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
        try Run.offline(global) {
            let paths = SharedConfigFiles.paths(Environment.current())
            return .report(try vault.workflow().export(profile: global.profile!, files: (paths.credentials, paths.config), removeFromVault: removeFromVault))
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
        try Run.refuse(global, unless: [.json], "the credential_process JSON is the only form credential-process prints")
        let environment = Environment.current()
        if !global.noCache, let answer = try AgentClient.resolve(
            AgentCredentialRequest(source: .vault, profile: global.profile, region: global.region, mfaCode: global.mfaCode,
                                   vaultBackend: vault.backend, environment: environment),
            environment: environment, passphraseCommand: vault.passphraseCommand) {
            return try Run.ownBytes(global, try CredentialExport(credentials: answer.credentials, region: nil).render(.process))
        }
        try Run.session(global, printsOwnBytes: true) { session in
            .text(try vault.workflow().credentialProcess(profile: global.profile!, context: try session.credentialContext()))
        }
    }
}
