import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// What providers need beyond their own settings: the shared files, the environment, and how
/// to reach STS (for assume-role and web identity). Built once per command by the session.
public struct CredentialContext: Sendable {
    public var environment: Environment
    public var files: SharedConfigFiles
    /// The profile in use; its `sts_regional_endpoints` and metadata settings apply.
    public var profileName: String
    /// The region STS calls go to; the global endpoint when nil.
    public var region: String?
    public var transport: HTTPTransport
    public var retryPolicy: RetryPolicy
    public var log: DebugLog
    /// Nil with `--no-cache`.
    public var cache: CredentialCache?
    public var mfa: MFACodeSource
    public var userAgent: String
    public var now: @Sendable () -> Int

    public init(environment: Environment, files: SharedConfigFiles, profileName: String, region: String?,
                transport: HTTPTransport, retryPolicy: RetryPolicy = RetryPolicy(), log: DebugLog = .off,
                cache: CredentialCache? = nil, mfa: MFACodeSource = MFACodeSource(), userAgent: String = "credctl",
                now: @escaping @Sendable () -> Int = { WallClock.now() }) {
        self.environment = environment
        self.files = files
        self.profileName = profileName
        self.region = region
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.log = log
        self.cache = cache
        self.mfa = mfa
        self.userAgent = userAgent
        self.now = now
    }

    /// The selected profile's setting, unless empty.
    func profileSetting(_ key: String) -> String? { files.profile(profileName)?[key] }

    /// The STS endpoint: `endpointURL`, else `AWS_ENDPOINT_URL_STS`/`AWS_ENDPOINT_URL`, else
    /// regional (or global under `sts_regional_endpoints = legacy` for the legacy regions).
    /// Credential providers pass no `endpointURL`: `--endpoint-url` is the command's service's,
    /// not STS's, as in the AWS CLI.
    public func stsEndpoint(endpointURL: String? = nil) throws(AWSError) -> ResolvedEndpoint {
        let mode = environment.nonEmpty("AWS_STS_REGIONAL_ENDPOINTS") ?? profileSetting("sts_regional_endpoints")
        do {
            return try EndpointResolver.resolveSTS(region: region, regionalEndpoints: mode, endpointURL: endpointURL, environment: environment)
        } catch {
            throw .configuration(error)
        }
    }

    /// An STS client signing with `credentials` (nil: unsigned, for web identity).
    public func sts(credentials: SigningCredentials?) throws(AWSError) -> STSClient {
        let client = AWSClient(transport: transport, credentials: credentials, retryPolicy: retryPolicy, log: log, userAgent: userAgent)
        return STSClient(client: client, endpoint: try stsEndpoint())
    }
}

/// Where an MFA code comes from: `--mfa-code`, else a prompt when on a terminal.
public struct MFACodeSource: Sendable {
    public var code: String?
    /// Asks the user (the argument is the prompt); nil when not on a terminal.
    public var prompt: (@Sendable (String) -> String?)?

    public init(code: String? = nil, prompt: (@Sendable (String) -> String?)? = nil) {
        self.code = code
        self.prompt = prompt
    }

    /// A six-digit code for `serial`, needed by `profile`.
    public func code(serial: String, profile: String) throws(AWSError) -> String {
        let entered: String
        if let code { entered = code }
        else if let prompt, let answer = prompt("Enter MFA code for \(serial): ") { entered = answer.trimmingSpaces() }
        else {
            throw .configuration(ConfigurationError(
                "profile '\(profile)' needs an MFA code for \(serial): pass --mfa-code (there is no terminal to ask on)"))
        }
        guard entered.utf8.count == 6, entered.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .configuration(ConfigurationError("the MFA code must be the 6 digits your device shows"))
        }
        return entered
    }
}
