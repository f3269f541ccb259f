import AWSCore

/// Where the file vault's passphrase comes from, resolved once, in this order:
/// `--passphrase-command`, `CREDCTL_VAULT_PASSPHRASE`, `CREDCTL_VAULT_PASSPHRASE_COMMAND`, a
/// configured command, a prompt on the terminal. The passphrase a variable gives is held here
/// and never printed: the description names where it came from, not what it is.
public enum PassphraseSetting: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The passphrase itself, from `CREDCTL_VAULT_PASSPHRASE`.
    case variable(String)
    /// A command that prints it (run without a shell).
    case command(String)
    /// Ask on the terminal.
    case prompt

    public static func resolve(command flag: String?, configuredCommand: String? = nil, environment: Environment) -> PassphraseSetting {
        if let flag, !flag.isEmpty { return .command(flag) }
        if let value = environment.nonEmpty(SettingNames.vaultPassphrase) { return .variable(value) }
        if let command = environment.nonEmpty(SettingNames.vaultPassphraseCommand) ?? configuredCommand, !command.isEmpty {
            return .command(command)
        }
        return .prompt
    }

    public var description: String {
        switch self {
        case .variable: return SettingNames.vaultPassphrase
        case .command(let line): return "passphrase command `\(line)`"
        case .prompt: return "terminal prompt"
        }
    }

    public var debugDescription: String { description }
}
