import Agent
import AWSConfig
import AWSCore
import AWSCredentials
import SecretCrypto
import Vault

/// A credctl command asking the running agent first. Nil means no agent answered (none running,
/// `CREDCTL_AGENT_SOCKET=off`, a dead socket, an agent killed mid-way): the caller then resolves
/// alone, exactly as without an agent. The agent's questions are answered here: the passphrase
/// from this command's own sources (its flag, its variables, its terminal), an MFA code from
/// this command's terminal; with no terminal the answer is nothing, and the agent reports that.
public enum AgentClient {
    /// What asks the user: the terminal by default; nil asks nobody (a refresh made while a child
    /// owns the terminal): a passphrase then comes from the variables or the command only, an MFA
    /// code not at all.
    public typealias Prompt = @Sendable (String) -> [UInt8]?
    public static let terminal: Prompt = { TerminalPrompt.readSecret(prompt: $0) }

    public static func resolve(_ request: AgentCredentialRequest, environment: Environment,
                               passphraseCommand: String?, prompt: Prompt? = terminal) throws(AWSError) -> CredentialChain.Resolution? {
        try converse(request.json, environment: environment, passphraseCommand: passphraseCommand, prompt: prompt)
    }

    /// Sends `message` and answers the agent's questions until its answer comes.
    static func converse(_ message: JSONValue, environment: Environment, passphraseCommand: String?,
                         prompt: Prompt? = terminal) throws(AWSError) -> CredentialChain.Resolution? {
        guard let socket = AgentSocketPath.resolve(environment), let connection = AgentConnection(socket: socket) else { return nil }
        do { try connection.send(message) } catch { return nil }
        while true {
            let message: JSONValue
            do { message = try connection.receive() } catch { return nil }
            if let kind = message["ask"]?.stringValue {
                var answer = try self.answer(kind, prompt: message["prompt"]?.stringValue ?? "", environment: environment,
                                             passphraseCommand: passphraseCommand, prompt: prompt)
                let reply: JSONValue = .object([("answer", answer.map { .string(Base64.encode($0)) } ?? .null)])
                if answer != nil { SecretCrypto.wipe(&answer!) }
                do { try connection.send(reply) } catch { return nil }
                continue
            }
            if let error = message["error"] { throw AgentWire.decodeError(error) }
            guard let found = message["credentials"].flatMap(AgentWire.decodeResolution) else { return nil }
            return found
        }
    }

    static func answer(_ kind: String, prompt: String, environment: Environment, passphraseCommand: String?,
                       prompt ask: Prompt?) throws(AWSError) -> [UInt8]? {
        switch kind {
        case "passphrase":
            let source = PassphraseSource(.resolve(command: passphraseCommand, environment: environment), environment: environment,
                                          prompt: { _ in ask?(prompt) })
            do { return try source.passphrase(newVault: false, vault: "") } catch { throw error.awsError }
        case "mfa":
            return ask?(prompt)
        default:
            return nil
        }
    }

    /// Sends one control request (`status`, `lock`, `stop`); nil when no agent answers.
    public static func control(_ op: String, environment: Environment) -> JSONValue? {
        guard let socket = AgentSocketPath.resolve(environment), let connection = AgentConnection(socket: socket, timeoutSeconds: 10) else { return nil }
        do {
            try connection.send(.object([("op", .string(op))]))
            return try connection.receive()
        } catch {
            return nil
        }
    }
}
