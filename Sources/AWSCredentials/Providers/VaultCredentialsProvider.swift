import AWSConfig
import AWSCore
import Vault

/// A profile whose `credential_process` is credctl's own vault line
/// (`credctl vault credential-process --profile NAME`): read from the vault in-process instead
/// of running credctl again. Belongs in the chain just before `ProcessCredentialsProvider`,
/// which would otherwise run the same line as a child process.
public struct VaultCredentialsProvider: CredentialProvider {
    public let kind = Provenance.Provider.vault
    let context: CredentialContext
    let profileName: String
    /// Opens the vault a line names (its `--backend`, else the configured one): built by the
    /// caller from `VaultSettings` and a `PassphraseSource`, so that this provider reads neither
    /// the environment nor a terminal itself.
    let openVault: @Sendable (VaultBackendKind?) throws(AWSError) -> Vault

    public init(context: CredentialContext, profileName: String, openVault: @escaping @Sendable (VaultBackendKind?) throws(AWSError) -> Vault) {
        self.context = context
        self.profileName = profileName
        self.openVault = openVault
    }

    /// The standard way to open a vault: the environment's settings and passphrase sources.
    /// `prompt` asks for a passphrase the variables do not give (default: the terminal).
    public static func vaultOpener(environment: Environment,
                                   prompt: @escaping @Sendable (String) -> [UInt8]? = { TerminalPrompt.readSecret(prompt: $0) })
        -> @Sendable (VaultBackendKind?) throws(AWSError) -> Vault {
        { (backend: VaultBackendKind?) throws(AWSError) -> Vault in
            let settings: VaultSettings
            do throws(ConfigurationError) { settings = try VaultSettings.resolve(flag: backend, environment: environment) } catch { throw error.awsError }
            let passphrase = PassphraseSource(.resolve(command: nil, environment: environment), environment: environment, prompt: prompt)
            return Vault(settings: settings, passphrase: passphrase, environment: environment)
        }
    }

    /// The vault entry a profile reads, nil when its `credential_process` is not credctl's vault line.
    public static func vaultProfile(of profileName: String, in context: CredentialContext) -> String? {
        guard let line = context.files.profile(profileName)?["credential_process"] else { return nil }
        return VaultReference.profile(inCommandLine: line)
    }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        guard let line = context.files.profile(profileName)?["credential_process"], let entry = VaultReference.profile(inCommandLine: line) else {
            return .notFound("profile '\(profileName)' has no credctl vault credential_process")
        }
        let vault = try openVault(VaultReference.backend(inCommandLine: line))
        return .found(try VaultSessionCredentials(vault: vault, profile: entry, context: context).credentials())
    }
}

extension VaultCredentialsProvider {
    public static let registration = ProviderRegistration(kind: .vault, reads: [SettingNames.ProfileKey.credentialProcess], alsoIn: [.sourceProfile]) { scope in
        VaultCredentialsProvider(context: scope.context, profileName: scope.profileName, openVault: scope.context.openVault)
    }
}

extension Provenance.Provider {
    public static let vault = Provenance.Provider("vault")
}
