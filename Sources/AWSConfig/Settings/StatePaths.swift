import AWSCore

/// Every place credctl keeps files of its own or shares with the AWS CLI, resolved in one place:
/// credctl's state (journals, locks, the console page) `CREDCTL_STATE_DIR`, else
/// `~/.aws/credctl`; its credential cache `CREDCTL_CACHE_DIR`, else `~/.aws/credctl/cache`; the
/// vault file `CREDCTL_VAULT_FILE`, else `~/.aws/credctl/vault.json`; and the AWS CLI's SSO
/// token cache `~/.aws/sso/cache` and credential cache `~/.aws/cli/cache`.
public struct StatePaths: Sendable, Equatable {
    public var state: String
    public var credentialCache: String
    public var vaultFile: String
    public var ssoCache: String
    public var cliCache: String

    public static func resolve(_ env: Environment) -> StatePaths {
        StatePaths(state: env.nonEmpty(SettingNames.stateDirectory) ?? LocalFile.expandTilde("~/.aws/credctl", env),
                   credentialCache: env.nonEmpty(SettingNames.cacheDirectory) ?? LocalFile.expandTilde("~/.aws/credctl/cache", env),
                   vaultFile: env.nonEmpty(SettingNames.vaultFile) ?? LocalFile.expandTilde("~/.aws/credctl/vault.json", env),
                   ssoCache: LocalFile.expandTilde("~/.aws/sso/cache", env),
                   cliCache: LocalFile.expandTilde("~/.aws/cli/cache", env))
    }

    /// credctl's state folder.
    public static func directory(_ env: Environment) -> String { resolve(env).state }
}
