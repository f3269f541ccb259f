import AWSConfig
import AWSCore
import AWSCredentials
import Synchronization
import Vault
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the credentials server's refreshes come from. The first fetch may ask for an MFA code
/// or a vault passphrase (credctl still has the terminal); later ones, made while the child
/// owns the terminal, never prompt: a refresh that would need a new MFA code fails (logged),
/// and the server serves the credentials it has until they expire.
public enum ServedCredentialsSource {
    /// The session's profile, asked of the running agent first at every fetch (as every command
    /// asks it: the agent's session is shared with every other client, and a refresh it holds
    /// costs no call), else resolved anew through the whole chain (the role, SSO and
    /// vault-session caches still apply, so a refresh inside their window changes nothing and
    /// costs no call). Resolving alone, a vault profile's entry is unlocked once and remembered
    /// (`UnlockedVaults`); when its passphrase would be asked on the terminal, that happens at
    /// the first fetch. No agent, or one that stops answering: credctl resolves alone.
    /// `prompt` asks the user during the first fetch (default: the terminal); refreshes ask nobody.
    public static func profile(_ session: AWSSession,
                               prompt: @escaping AgentClient.Prompt = AgentClient.terminal) throws(AWSError) -> @Sendable () throws(AWSError) -> Credentials {
        let context = try session.credentialContext()
        let selection = session.profileSelection
        let environment = session.environment
        let agentRequest = session.agentRequest
        let calls = CallCount()
        // The terminal is credctl's during the first fetch only.
        let ask = prompt
        let vaults = UnlockedVaults(environment: environment) { prompt in
            calls.count == 1 ? ask(prompt) : nil
        }
        let log = session.log
        return { () throws(AWSError) -> Credentials in
            let first = calls.next() == 0
            if let agentRequest,
               let answer = try AgentClient.resolve(agentRequest, environment: environment, passphraseCommand: nil, prompt: first ? ask : nil) {
                log("credentials: from credctl agent: \(answer.credentials.provenance.summary)")
                return answer.credentials
            }
            if first { try unlockNow(context: context, profile: selection.name, environment: environment, vaults: vaults) }
            var c = context
            if !first { c.mfa.code = nil; c.mfa.prompt = nil }  // refreshes: mfa_process only
            c.openVault = vaults.opener
            let resolution = try CredentialChain.standard(context: c, profile: selection).resolve()
            for attempt in resolution.attempts { log("credentials: \(attempt.provider): \(attempt.outcome)") }
            return resolution.credentials
        }
    }

    /// Unlocks a vault profile's entry while credctl still has the terminal, when its passphrase
    /// would be asked there.
    static func unlockNow(context: CredentialContext, profile: String, environment: Environment, vaults: UnlockedVaults) throws(AWSError) {
        guard let line = context.files.profile(profile)?["credential_process"], let entry = VaultReference.profile(inCommandLine: line),
              PassphraseSetting.resolve(command: nil, environment: environment) == .prompt, hasTerminal() else { return }
        let backend = VaultReference.backend(inCommandLine: line)
        let settings = try? VaultSettings.resolve(flag: backend, environment: environment)
        if settings?.backend == .file { try vaults.unlock(profile: entry, backend: backend) }
    }

    /// Whether a passphrase prompt could be answered now (without a terminal there is nothing to
    /// unlock with: a cached session is served, and refreshing it later fails, logged).
    static func hasTerminal() -> Bool {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// `assume ROLE_ARN --server`: the role assumed again at each refresh with the session's
    /// own (refreshing) credentials; an MFA code is asked for the first time only.
    public static func role(_ workflow: AssumeRoleWorkflow, session: AWSSession) -> @Sendable () throws(AWSError) -> Credentials {
        let calls = CallCount()
        return { () throws(AWSError) -> Credentials in
            try workflow.run(session, promptForMFA: calls.next() == 0).credentials
        }
    }
}

/// How many times a fetch closure has run (the first may prompt).
final class CallCount: Sendable {
    private let calls = Mutex(0)
    /// The number of earlier calls.
    func next() -> Int { calls.withLock { n in defer { n += 1 }; return n } }
    /// How many calls have started.
    var count: Int { calls.withLock { $0 } }
}
