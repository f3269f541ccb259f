import AWSConfig
import AWSCore
import SecretCrypto

/// The file vault's passphrase, from where its `PassphraseSetting` says (resolved in AWSConfig:
/// `--passphrase-command`, `CREDCTL_VAULT_PASSPHRASE`, `CREDCTL_VAULT_PASSPHRASE_COMMAND`, a
/// configured command, a prompt on the terminal). A command runs without a shell (its line split
/// as a POSIX shell would, no expansion) and its standard output, less one trailing newline, is
/// the passphrase. The passphrase is never logged, never put in an argument list, and wiped after use.
public struct PassphraseSource: Sendable {
    public enum Origin: Sendable, Equatable, CustomStringConvertible {
        case environment
        case command(String)
        case prompt

        public var description: String {
            switch self {
            case .environment: return PassphraseSource.variable
            case .command(let line): return "passphrase command `\(line)`"
            case .prompt: return "terminal prompt"
            }
        }
    }

    public static let variable = SettingNames.vaultPassphrase
    public static let commandVariable = SettingNames.vaultPassphraseCommand
    /// A new vault's passphrase must be at least this long.
    public static let minimumLength = 8

    public let origin: Origin
    let value: String?
    let environment: [String: String]
    let prompt: @Sendable (String) -> [UInt8]?

    /// `environment` is what a passphrase command runs with; `prompt` asks the user (default:
    /// the terminal); tests pass their own.
    public init(_ setting: PassphraseSetting, environment: Environment,
                prompt: @escaping @Sendable (String) -> [UInt8]? = { TerminalPrompt.readSecret(prompt: $0) }) {
        self.environment = environment.variables
        self.prompt = prompt
        switch setting {
        case .variable(let passphrase):
            origin = .environment
            value = passphrase
        case .command(let line):
            origin = .command(line)
            value = nil
        case .prompt:
            origin = .prompt
            value = nil
        }
    }

    /// The passphrase as bytes (the caller wipes them). For a new vault it is asked twice on a
    /// terminal and must be at least `minimumLength` bytes long.
    public func passphrase(newVault: Bool, vault: String) throws(VaultError) -> [UInt8] {
        var bytes: [UInt8]
        switch origin {
        case .environment:
            bytes = Array((value ?? "").utf8)
        case .command(let line):
            bytes = try run(line)
        case .prompt:
            bytes = try ask(newVault: newVault, vault: vault)
        }
        if bytes.isEmpty { throw .passphraseUnavailable("the passphrase from the \(origin) is empty") }
        if newVault, bytes.count < Self.minimumLength {
            SecretCrypto.wipe(&bytes)
            throw .passphraseUnavailable("a new vault's passphrase must be at least \(Self.minimumLength) characters long")
        }
        return bytes
    }

    func ask(newVault: Bool, vault: String) throws(VaultError) -> [UInt8] {
        let none = VaultError.passphraseUnavailable(
            "there is no terminal to ask on; set \(Self.variable), or give --passphrase-command or \(Self.commandVariable)")
        guard var first = prompt(newVault ? "New passphrase for the vault \(vault): " : "Passphrase for the vault \(vault): ") else { throw none }
        guard newVault else { return first }
        guard var second = prompt("Repeat the new passphrase: ") else { SecretCrypto.wipe(&first); throw none }
        defer { SecretCrypto.wipe(&second) }
        guard SecretCrypto.constantTimeEqual(first, second) else {
            SecretCrypto.wipe(&first)
            throw .passphraseUnavailable("the two passphrases differ; nothing was changed")
        }
        return first
    }

    func run(_ line: String) throws(VaultError) -> [UInt8] {
        guard let words = ShellWords.split(line), !words.isEmpty else {
            throw .passphraseUnavailable("the passphrase command `\(line)` is empty or leaves a quote open")
        }
        let result: Subprocess.Result
        do { result = try Subprocess.run(words, environment: environment) } catch {
            throw .passphraseUnavailable("\(error)")
        }
        var output = result.standardOutput
        if result.timedOut || result.outputExceeded {
            SecretCrypto.wipe(&output)
            throw .passphraseUnavailable(result.timedOut
                ? "the passphrase command `\(line)` did not finish within \(Int(Subprocess.Limits.standard.timeout)) s and was ended"
                : "the passphrase command `\(line)` printed more than \(Subprocess.Limits.standard.outputBytes) bytes")
        }
        guard result.status == 0 else {
            SecretCrypto.wipe(&output)
            throw .passphraseUnavailable("the passphrase command `\(line)` exited with status \(result.status)")
        }
        if output.last == 0x0A { output.removeLast() }
        if output.last == 0x0D { output.removeLast() }
        return output
    }
}
