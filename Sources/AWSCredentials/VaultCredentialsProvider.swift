import AWSCore
import Vault

/// A profile whose `credential_process` is credctl's own vault line
/// (`credctl vault credential-process --profile NAME`): read from the vault in-process instead
/// of running credctl again. Belongs in the chain just before `ProcessCredentialsProvider`,
/// which would otherwise run the same line as a child process.
public struct VaultCredentialsProvider: CredentialProvider {
    public let name = "vault"
    let context: CredentialContext
    let profileName: String
    /// Built by the caller from `VaultSettings` and a `PassphraseSource`, so that this provider
    /// reads neither the environment nor a terminal itself.
    let vault: Vault

    public init(context: CredentialContext, profileName: String, vault: Vault) {
        self.context = context
        self.profileName = profileName
        self.vault = vault
    }

    /// The vault entry a profile reads, nil when its `credential_process` is not credctl's vault line.
    public static func vaultProfile(of profileName: String, in context: CredentialContext) -> String? {
        guard let line = context.files.profile(profileName)?["credential_process"] else { return nil }
        return VaultReference.profile(inCommandLine: line)
    }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        guard let entry = Self.vaultProfile(of: profileName, in: context) else {
            return .notFound("profile '\(profileName)' has no credctl vault credential_process")
        }
        return .found(try VaultSessionCredentials(vault: vault, profile: entry, context: context).credentials())
    }
}
