import Agent
import AWSCore

/// The agent's way to ask the user: it has no terminal, so a question (the vault passphrase, an
/// MFA code) goes back over the connection to the client that asked for credentials, which
/// answers from its own passphrase sources or its terminal, or with nothing.
struct ClientQuestions: Sendable {
    let fd: Int32

    /// The answer's bytes, or nil when the client has none (no terminal) or has gone.
    func ask(_ kind: String, prompt: String) -> [UInt8]? {
        do {
            try AgentFrame.send(.object([("ask", .string(kind)), ("prompt", .string(prompt))]), on: fd)
            let answer = try AgentFrame.receive(on: fd)
            return answer["answer"]?.stringValue.flatMap(Base64.decode)
        } catch {
            return nil
        }
    }
}
