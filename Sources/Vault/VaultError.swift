import AWSCore

/// Every way a vault operation fails, by kind. None carries a secret or a passphrase.
public enum VaultError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The passphrase does not open the vault (its key-check value did not verify). Nothing changed.
    case wrongPassphrase(vault: String)
    /// No passphrase could be obtained (no terminal, no variable, no command), or it was refused.
    case passphraseUnavailable(String)
    /// The vault holds no entry for the profile.
    case notFound(profile: String, vault: String)
    /// `add` without `replace` for a profile the vault already holds.
    case alreadyExists(profile: String, vault: String)
    /// The vault file cannot be read as a vault (damaged, truncated, an unknown version).
    case corruptVault(path: String, reason: String)
    /// One entry does not open under the right key: its bytes or its clear fields were altered.
    case corruptEntry(profile: String, vault: String)
    /// The keyring holding the entries is locked; unlock it (log in to the desktop session) and retry.
    case keyringLocked(String)
    /// No Secret Service could be reached, or `secret-tool` failed.
    case keyringUnavailable(String)
    /// Input the vault refuses (a malformed key id, an unusable profile name, …).
    case invalidInput(String)
    /// Reading, writing or locking a file failed.
    case io(String)

    public var description: String {
        switch self {
        case .wrongPassphrase(let vault):
            return "wrong passphrase for the vault \(vault); nothing was changed"
        case .passphraseUnavailable(let reason):
            return "no vault passphrase: \(reason)"
        case .notFound(let profile, let vault):
            return "the vault \(vault) holds no keys for profile '\(profile)' (see credctl vault list)"
        case .alreadyExists(let profile, let vault):
            return "the vault \(vault) already holds keys for profile '\(profile)'; remove them first or replace them"
        case .corruptVault(let path, let reason):
            return "\(path) is not a vault credctl can read: \(reason)"
        case .corruptEntry(let profile, let vault):
            return "the entry for profile '\(profile)' in the vault \(vault) does not verify: it was altered or damaged; remove it and add the keys again"
        case .keyringLocked(let detail):
            return "the keyring is locked (\(detail)); unlock it, for example by logging in to the desktop session, and retry"
        case .keyringUnavailable(let detail):
            return "no Secret Service keyring: \(detail)"
        case .invalidInput(let reason):
            return reason
        case .io(let reason):
            return reason
        }
    }

    /// The same failure as the core library's kinds, so the CLI gives it its exit code: a wrong
    /// or missing passphrase, a locked keyring and a missing entry are credential failures (3);
    /// damaged files and bad input are usage/configuration failures (2).
    public var awsError: AWSError {
        switch self {
        case .wrongPassphrase, .corruptEntry:
            return .invalidCredentials(description)
        case .passphraseUnavailable, .notFound, .keyringLocked, .keyringUnavailable:
            return .noCredentials(description)
        case .alreadyExists, .corruptVault, .invalidInput, .io:
            return .configuration(ConfigurationError(description))
        }
    }
}
