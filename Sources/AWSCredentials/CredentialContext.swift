import AWSClients
import AWSConfig
import AWSCore
import SigV4
import Vault

/// What providers share beyond their own settings: the shared files, the resolved settings, the
/// client core (so STS calls made while resolving count against the run's retry budget and
/// clock), how to reach STS, the cache and MFA. Built once per command by the session.
public struct CredentialContext: Sendable {
    public var files: SharedConfigFiles
    /// The environment as it is, for `credential_process` children and `~` in paths only; every
    /// setting is read from `settings`.
    public var environment: Environment
    public var settings: CredentialSettings
    /// The profile in use.
    public var profileName: String
    /// The run's client core, made when a provider first calls a service (its retry settings are
    /// read then, so a bad `max_attempts` does not stop a command that resolves static keys).
    public var makeCore: @Sendable () throws(AWSError) -> ClientCore
    /// The region STS calls go to; the global endpoint when nil (and `regionFallback` has none).
    public var region: String?
    /// Asked for a region when `region` is nil and STS is called (the instance's, from instance metadata).
    public var regionFallback: (@Sendable () throws(AWSError) -> String?)?
    /// Configured endpoints; `--endpoint-url` is the command's own service's, never the
    /// providers' STS or SSO (as in the AWS CLI).
    public var endpoints: EndpointSettings
    /// A configured STS endpoint (`AWS_ENDPOINT_URL_STS`, …).
    public var stsEndpointOverride: (url: String, source: String)?
    /// Nil with `--no-cache`.
    public var cache: CredentialCache?
    public var mfa: MFACodeSource
    /// The run's clock (`AWSSession.time`, the one its client core waits on): expiry checks and
    /// cache windows read its wall time; tests pass a `ManualClock`.
    public var time: any RunClock
    /// The transport for the metadata endpoints (their own short timeouts, never a proxy).
    public var metadataTransport: @Sendable (TransportOptions) -> any HTTPTransport
    /// Opens the vault a vault `credential_process` line names (its `--backend`, else the
    /// configured one); the credentials server swaps in one that remembers unlocked entries, the
    /// agent one whose passphrase questions go to the client that asked.
    public var openVault: @Sendable (VaultBackendKind?) throws(AWSError) -> Vault
    /// False where nothing may wait on the user (shell completion): no `credential_process` is
    /// run (`withoutInteraction()` also drops MFA prompts and vault passphrase prompts).
    public var mayInteract = true

    public init(files: SharedConfigFiles, environment: Environment, settings: CredentialSettings, profileName: String,
                core: @escaping @Sendable () throws(AWSError) -> ClientCore, log: DebugLog = .off, region: String?, endpoints: EndpointSettings = EndpointSettings(),
                cache: CredentialCache? = nil, mfa: MFACodeSource = MFACodeSource(),
                time: any RunClock = SystemClock(),
                metadataTransport: @escaping @Sendable (TransportOptions) -> any HTTPTransport = { CurlTransport(options: $0) }) {
        self.files = files
        self.environment = environment
        self.settings = settings
        self.profileName = profileName
        self.log = log
        self.makeCore = core
        self.region = region
        self.endpoints = endpoints
        self.stsEndpointOverride = endpoints.configured(for: .sts, useCommandLine: false).map { ($0.value, $0.source) }
        self.cache = cache
        self.mfa = mfa
        self.time = time
        self.metadataTransport = metadataTransport
        self.openVault = VaultCredentialsProvider.vaultOpener(environment: environment)
    }

    public var log: DebugLog

    /// Seconds since 1970 on the run's clock.
    public var now: @Sendable () -> Int { { [time] in time.wallSeconds() } }

    public func core() throws(AWSError) -> ClientCore { try makeCore() }

    /// The STS endpoint credential providers call: configured, else regional (or global under
    /// `sts_regional_endpoints = legacy` for the legacy regions).
    public func stsEndpoint() throws(AWSError) -> ResolvedEndpoint {
        var region = self.region
        if region == nil, let regionFallback { region = try regionFallback() }
        do {
            return try EndpointResolver.resolveSTS(region: region, regionalEndpoints: settings.stsRegionalEndpoints,
                                                   configured: stsEndpointOverride)
        } catch {
            throw error.awsError
        }
    }

    /// The sign-in service `login_session` profiles refresh with: configured
    /// (`AWS_ENDPOINT_URL_SIGNIN`, …, never `--endpoint-url`), else the partition's sign-in host
    /// for the run's region.
    public func signInEndpoint() throws(AWSError) -> ResolvedEndpoint {
        var region = self.region
        if region == nil, let regionFallback { region = try regionFallback() }
        let configured = endpoints.configured(for: .signIn, useCommandLine: false)
        do {
            return try EndpointResolver.resolveSignIn(region: region, configured: configured.map { ($0.value, $0.source) })
        } catch {
            throw error.awsError
        }
    }

    /// An STS client on the run's core, signing with `credentials` (nil: unsigned, for web identity).
    public func sts(credentials: SigningCredentials?) throws(AWSError) -> STSClient {
        STSClient(client: AWSClient(core: try core(), keys: credentials.map(FixedSigningKeys.init)), endpoint: try stsEndpoint())
    }
}

/// Where an MFA code comes from: `--mfa-code`, else the profile's `mfa_process` (a command that
/// prints the code, as aws-vault reads it: `ykman oath accounts code -s NAME`, `oathtool --totp
/// KEY`), else a prompt when there is a terminal to ask on.
public struct MFACodeSource: Sendable {
    public var code: String?
    /// `mfa_process`: run without a shell (split as a POSIX shell would), its first line the code.
    public var process: String?
    /// The environment `process` runs with.
    public var processEnvironment: [String: String]
    /// Asks the user (the argument is the prompt); nil when not on a terminal.
    public var prompt: (@Sendable (String) -> String?)?

    public init(code: String? = nil, process: String? = nil, processEnvironment: [String: String] = [:],
                prompt: (@Sendable (String) -> String?)? = nil) {
        self.code = code
        self.process = process
        self.processEnvironment = processEnvironment
        self.prompt = prompt
    }

    /// A six-digit code for `serial`, needed by `profile`.
    public func code(serial: String, profile: String) throws(AWSError) -> String {
        let entered: String
        if let code { entered = code }
        else if let process { entered = try run(process, profile: profile) }
        else if let prompt, let answer = prompt("Enter MFA code for \(serial): ") { entered = answer.trimmingSpaces() }
        else {
            throw .noCredentials(
                "profile '\(profile)' needs an MFA code for \(serial): pass --mfa-code or set mfa_process in the profile (there is no terminal to ask on)")
        }
        guard entered.utf8.count == 6, entered.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .configuration(ConfigurationError("the MFA code must be the 6 digits your device shows"))
        }
        return entered
    }

    /// The code `mfa_process` prints (its output is never shown: it is a secret for 30 seconds).
    func run(_ line: String, profile: String) throws(AWSError) -> String {
        guard let words = ShellWords.split(line), !words.isEmpty else {
            throw .configuration(ConfigurationError("profile '\(profile)': mfa_process is empty or leaves a quote open"))
        }
        let result: Subprocess.Result
        do { result = try Subprocess.run(words, environment: processEnvironment) } catch {
            throw .noCredentials("profile '\(profile)': mfa_process: \(error)")
        }
        guard result.status == 0 else {
            throw .noCredentials("profile '\(profile)': mfa_process `\(line)` exited with status \(result.status)")
        }
        let firstLine = result.standardOutput.split(separator: 0x0A, omittingEmptySubsequences: false).first ?? []
        return String(decoding: firstLine, as: UTF8.self).trimmingSpaces()
    }
}
