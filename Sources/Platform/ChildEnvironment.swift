/// The one rule for what a child process's environment may not carry: the variables that unlock
/// or configure one of credctl's secret stores. Every place that starts a process (`Subprocess`,
/// `ChildProcess`, `exec`) takes them out, so a command credctl runs — a `creds exec` child, an
/// `exec:` destination, a `credential_process`, a browser — cannot open the vault with them.
public enum ChildEnvironment {
    /// The vault's passphrase (the documented way for CI), the command that prints it, the
    /// backend and the vault file.
    public static let vaultPassphrase = "CREDCTL_VAULT_PASSPHRASE"
    public static let vaultPassphraseCommand = "CREDCTL_VAULT_PASSPHRASE_COMMAND"
    public static let vaultBackend = "CREDCTL_VAULT_BACKEND"
    public static let vaultFile = "CREDCTL_VAULT_FILE"

    /// Every variable no child gets.
    public static let withheld: Set<String> = [vaultPassphrase, vaultPassphraseCommand, vaultBackend, vaultFile]

    /// `variables` without the withheld ones.
    public static func scrubbed(_ variables: [String: String]) -> [String: String] {
        variables.filter { !withheld.contains($0.key) }
    }

    /// `NAME=value` strings for `execve`/`posix_spawn`, without the withheld ones.
    static func entries(_ variables: [String: String]) -> [String] {
        scrubbed(variables).map { "\($0.key)=\($0.value)" }
    }
}
