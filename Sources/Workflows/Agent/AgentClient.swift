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
    public static func resolve(_ request: AgentCredentialRequest, environment: Environment,
                               passphraseCommand: String?) throws(AWSError) -> CredentialChain.Resolution? {
        try converse(request.json, environment: environment, passphraseCommand: passphraseCommand)
    }

    /// Sends `message` and answers the agent's questions until its answer comes.
    static func converse(_ message: JSONValue, environment: Environment, passphraseCommand: String?) throws(AWSError) -> CredentialChain.Resolution? {
        guard let socket = AgentSocketPath.resolve(environment), let connection = AgentConnection(socket: socket) else { return nil }
        do { try connection.send(message) } catch { return nil }
        while true {
            let message: JSONValue
            do { message = try connection.receive() } catch { return nil }
            if let kind = message["ask"]?.stringValue {
                var answer = try self.answer(kind, prompt: message["prompt"]?.stringValue ?? "", environment: environment,
                                             passphraseCommand: passphraseCommand)
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

    static func answer(_ kind: String, prompt: String, environment: Environment, passphraseCommand: String?) throws(AWSError) -> [UInt8]? {
        switch kind {
        case "passphrase":
            let source = PassphraseSource(.resolve(command: passphraseCommand, environment: environment), environment: environment,
                                          prompt: { _ in TerminalPrompt.readSecret(prompt: prompt) })
            do { return try source.passphrase(newVault: false, vault: "") } catch { throw error.awsError }
        case "mfa":
            return TerminalPrompt.readSecret(prompt: prompt)
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
