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
    /// The session's profile through the whole chain, resolved anew at each refresh (the role,
    /// SSO and vault-session caches still apply, so a refresh inside their window changes
    /// nothing and costs no call). A vault profile's entry is unlocked once and remembered
    /// (`UnlockedVaults`); when its passphrase would be asked on the terminal, that happens now.
    public static func profile(_ session: AWSSession) throws(AWSError) -> @Sendable () throws(AWSError) -> Credentials {
        let context = try session.credentialContext()
        let selection = session.profileSelection
        let vaults = UnlockedVaults(environment: session.environment)
        if let line = context.files.profile(selection.name)?["credential_process"], let entry = VaultReference.profile(inCommandLine: line),
           PassphraseSetting.resolve(command: nil, environment: session.environment) == .prompt, hasTerminal() {
            let backend = VaultReference.backend(inCommandLine: line)
            let settings = try? VaultSettings.resolve(flag: backend, environment: session.environment)
            if settings?.backend == .file { try vaults.unlock(profile: entry, backend: backend) }
        }
        let calls = CallCount()
        let log = session.log
        return { () throws(AWSError) -> Credentials in
            var c = context
            if calls.next() > 0 { c.mfa.code = nil; c.mfa.prompt = nil }  // refreshes: mfa_process only
            c.openVault = vaults.opener
            let resolution = try CredentialChain.standard(context: c, profile: selection).resolve()
            for attempt in resolution.attempts { log("credentials: \(attempt.provider): \(attempt.outcome)") }
            return resolution.credentials
        }
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
    private let count = Mutex(0)
    /// The number of earlier calls.
    func next() -> Int { count.withLock { n in defer { n += 1 }; return n } }
}
