import AWSConfig
import AWSCore
import Vault

extension CredentialContext {
    /// This context for work that must never wait on the user (shell completion): credentials
    /// that need an MFA code, a `credential_process` (which may prompt or open a browser), or a
    /// vault passphrase from anywhere but `CREDCTL_VAULT_PASSPHRASE` (a prompt, a passphrase
    /// command, a keyring that may ask to be unlocked) are refused instead.
    public func withoutInteraction() -> CredentialContext {
        var context = self
        context.mayInteract = false
        context.mfa = MFACodeSource()
        let environment = self.environment
        let open = VaultCredentialsProvider.vaultOpener(environment: environment, prompt: { _ in nil })
        context.openVault = { (backend: VaultBackendKind?) throws(AWSError) -> Vault in
            let refused = AWSError.noCredentials("the vault is not opened where nothing may wait on the user (shell completion)")
            guard case .variable = PassphraseSetting.resolve(command: nil, environment: environment) else { throw refused }
            let settings: VaultSettings
            do throws(ConfigurationError) { settings = try VaultSettings.resolve(flag: backend, environment: environment) } catch { throw error.awsError }
            guard settings.backend == .file else { throw refused }
            return try open(backend)
        }
        return context
    }
}
