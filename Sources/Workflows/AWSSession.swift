import AWSConfig
import AWSCore
import AWSCredentials
import AWSClients
import SigV4

/// Everything a command needs, resolved once from flags, environment and shared files: the
/// profile, the region, the transport, the retry policy. Credentials are resolved on demand
/// so that commands that do not need them (and `--dry-run`s that do) stay offline.
public struct AWSSession: Sendable {
    public let settings: SessionSettings
    public let environment: Environment
    public let files: SharedConfigFiles
    public let profileSelection: ProfileSelection
    public let profile: Profile?
    public let region: ResolvedRegion?
    public let transport: HTTPTransport
    public let retryPolicy: RetryPolicy
    public let log: DebugLog

    public init(settings: SessionSettings, environment: Environment) throws(AWSError) {
        self.settings = settings
        self.environment = environment
        log = DebugLog(enabled: settings.debug)
        do { files = try SharedConfigFiles.load(environment) } catch {
            throw .configuration(ConfigurationError(error.description))
        }
        profileSelection = ProfileSelection.resolve(flag: settings.profile, environment: environment)
        profile = files.profile(profileSelection.name)
        if profile == nil, !profileSelection.isDefault {
            throw .configuration(ConfigurationError(
                "profile '\(profileSelection.name)' (from \(profileSelection.source.rawValue)) is not in \(files.configPath) or \(files.credentialsPath)"))
        }
        do {
            region = try RegionResolver.resolve(flag: settings.region, environment: environment, profile: profile)
            retryPolicy = try RetryPolicy.resolve(mode: environment.nonEmpty("AWS_RETRY_MODE") ?? profile?["retry_mode"],
                                                  maxAttempts: environment.nonEmpty("AWS_MAX_ATTEMPTS") ?? profile?["max_attempts"])
        } catch {
            throw .configuration(error)
        }
        transport = HTTPTransport(options: TransportOptions.fromEnvironment(
            environment, connectTimeout: settings.connectTimeout ?? 60, readTimeout: settings.readTimeout ?? 60))
        log("profile \(profileSelection.name) (from \(profileSelection.source.rawValue)); region \(region.map { "\($0.name) (from \($0.source))" } ?? "not set")")
    }

    /// What credential providers use: files, environment, STS access, cache and MFA.
    public var credentialContext: CredentialContext {
        let terminal = StandardStream.input.isTerminal && StandardStream.error.isTerminal
        var prompt: (@Sendable (String) -> String?)?
        if terminal { prompt = Self.askOnTerminal }
        let cache: CredentialCache? = settings.noCache ? nil : CredentialCache.standard(environment)
        return CredentialContext(
            environment: environment, files: files, profileName: profileSelection.name, region: region?.name,
            transport: transport, retryPolicy: retryPolicy, log: log, cache: cache,
            mfa: MFACodeSource(code: settings.mfaCode, prompt: prompt),
            userAgent: "credctl/\(CredctlVersion.current)")
    }

    /// Writes the prompt to stderr and reads the answer from stdin.
    @Sendable static func askOnTerminal(_ prompt: String) -> String? {
        StandardStream.error.write(prompt)
        return StandardStream.input.readLine()
    }

    /// Resolves credentials through the chain.
    public func resolveCredentials() throws(AWSError) -> CredentialChain.Resolution {
        let resolution = try CredentialChain.standard(context: credentialContext, profile: profileSelection).resolve()
        for attempt in resolution.attempts { log("credentials: \(attempt.provider): \(attempt.outcome)") }
        return resolution
    }

    /// A client signing with `credentials`.
    public func client(credentials: Credentials?) -> AWSClient {
        client(signing: credentials?.signing)
    }

    /// A client signing with these keys (a key just made, not yet resolved through the chain).
    public func client(signing credentials: SigningCredentials?) -> AWSClient {
        AWSClient(transport: transport, credentials: credentials, retryPolicy: retryPolicy, log: log,
                  userAgent: "credctl/\(CredctlVersion.current)")
    }

    /// A Parameter Store client with the resolved credentials (the endpoint is resolved first,
    /// so a missing region is reported before any credential provider runs).
    public func ssm() throws(AWSError) -> SSMClient {
        let endpoint = try endpoint(.ssm)
        return SSMClient(client: client(credentials: try resolveCredentials().credentials), endpoint: endpoint)
    }

    /// A Secrets Manager client with the resolved credentials.
    public func secretsManager() throws(AWSError) -> SecretsManagerClient {
        let endpoint = try endpoint(.secretsManager)
        return SecretsManagerClient(client: client(credentials: try resolveCredentials().credentials), endpoint: endpoint)
    }

    public func endpoint(_ service: AWSService) throws(AWSError) -> ResolvedEndpoint {
        do {
            return try EndpointResolver.resolve(service, region: region?.name, endpointURL: settings.endpointURL, environment: environment)
        } catch {
            throw .configuration(error)
        }
    }
}
