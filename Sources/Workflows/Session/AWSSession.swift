import AWSClients
import AWSConfig
import AWSCore
import AWSCredentials
import SigV4
import Synchronization

/// Everything a command needs, resolved once from flags, environment and shared files: the
/// profile, the region, the endpoints, the transport; one client core (transport, retry quota,
/// clock skew, log) shared by every service client of the run; the credentials, resolved on
/// first use and refreshed before they expire. Commands that need no credentials (and
/// `--dry-run`s that do) stay offline; a bad retry setting stops only commands that make calls.
public final class AWSSession: Sendable {
    public let settings: SessionSettings
    public let environment: Environment
    public let files: SharedConfigFiles
    public let profileSelection: ProfileSelection
    public let profile: Profile?
    private let regionLookup: SessionRegion
    public let endpoints: EndpointSettings
    public let transportOptions: TransportOptions
    public let log: DebugLog
    private let transport: any HTTPTransport
    /// The run's clock: every wait of the run (retries, propagation, polling) is on it.
    public let time: any RunClock
    /// Seconds since 1970 on the run's clock (expiry times, ages): never a wall clock of a workflow's own.
    public var now: @Sendable () -> Int { { [time] in time.wallSeconds() } }
    private let state = Mutex<(core: ClientCore?, credentials: RefreshingCredentials?)>((nil, nil))

    public convenience init(settings: SessionSettings, environment: Environment) throws(AWSError) {
        try self.init(settings: settings, environment: environment, transport: nil)
    }

    /// `transport` replaces libcurl and `time` the system clock (tests: a clock whose sleep only moves its own time).
    public init(settings: SessionSettings, environment: Environment, transport: (any HTTPTransport)?,
                time: any RunClock = SystemClock()) throws(AWSError) {
        self.settings = settings
        self.time = time
        self.environment = environment
        log = DebugLog(enabled: settings.debug)
        do { files = try SharedConfigFiles.load(environment) } catch {
            throw error.awsError
        }
        profileSelection = ProfileSelection.resolve(flag: settings.profile, environment: environment)
        profile = files.profile(profileSelection.name)
        if profile == nil, !profileSelection.isDefault, !settings.profileMayBeNew {
            throw .configuration(ConfigurationError(
                "profile '\(profileSelection.name)' (from \(profileSelection.source.rawValue)) is not in \(files.configPath) or \(files.credentialsPath); \(files.closestProfiles(to: profileSelection.name))"))
        }
        do {
            regionLookup = SessionRegion(configured: try RegionResolver.configured(flag: settings.region, environment: environment, profile: profile),
                                         environment: environment, profile: profile, log: log)
            transportOptions = try TransportSettings.resolve(connectTimeout: settings.connectTimeout, readTimeout: settings.readTimeout,
                                                             totalTimeout: settings.totalTimeout,
                                                             environment: environment, profile: profile)
        } catch {
            throw error.awsError
        }
        do { endpoints = try EndpointSettings.resolve(commandLine: settings.endpointURL, environment: environment, files: files, profile: profile) } catch {
            throw error.awsError
        }
        self.transport = transport ?? CurlTransport(options: transportOptions)
        log("profile \(profileSelection.name) (from \(profileSelection.source.rawValue)); region \(regionLookup.configuredDescription)")
    }

    /// The region of the run's calls: the configured one, else (on EC2) the instance's, asked
    /// once, when a command first needs it. Nil when there is none.
    public var region: ResolvedRegion? {
        get throws(AWSError) { try regionLookup.region() }
    }

    /// The region from `--region`, the variables or the profile; `region` adds instance metadata.
    public var configuredRegion: ConfiguredRegion { regionLookup.configured }

    /// Why instance metadata gave no region, once it was asked (and not turned off).
    public var regionNote: String? { regionLookup.note }

    /// The client core of the run, made on first use (its retry settings are read then).
    public func core() throws(AWSError) -> ClientCore {
        if let core = state.withLock({ $0.core }) { return core }
        let policy: RetryPolicy
        do { policy = try RetrySettings.resolve(environment: environment, profile: profile) } catch { throw error.awsError }
        let core = ClientCore(transport: transport, retryPolicy: policy, log: log, userAgent: "credctl/\(CredctlVersion.current)", time: time)
        return state.withLock { s in
            if let existing = s.core { return existing }
            s.core = core
            return core
        }
    }

    public var retryPolicy: RetryPolicy {
        get throws(AWSError) { try core().retryPolicy }
    }

    /// What credential providers use: files, settings, STS access, cache and MFA.
    public func credentialContext() throws(AWSError) -> CredentialContext {
        let terminal = StandardStream.input.isTerminal && StandardStream.error.isTerminal
        let cache: CredentialCache? = settings.noCache ? nil : CredentialCache.standard(environment)
        let credentialSettings: CredentialSettings
        do { credentialSettings = try CredentialSettings.resolve(environment: environment, profile: profile) } catch {
            throw error.awsError
        }
        var context = CredentialContext(
            files: files, environment: environment, settings: credentialSettings, profileName: profileSelection.name,
            core: { [self] () throws(AWSError) in try core() }, log: log, region: configuredRegion.region?.name, endpoints: endpoints, cache: cache,
            mfa: MFACodeSource(code: settings.mfaCode, process: profile?["mfa_process"].flatMap { $0.isEmpty ? nil : $0 },
                               processEnvironment: environment.variables, prompt: terminal ? Self.askOnTerminal : nil),
            time: time)
        if configuredRegion.mayAskInstanceMetadata {
            context.regionFallback = { [self] () throws(AWSError) in try region?.name }
        }
        return settings.interactive ? context : context.withoutInteraction()
    }

    /// Writes the prompt to stderr and reads the answer from stdin.
    @Sendable static func askOnTerminal(_ prompt: String) -> String? {
        StandardStream.error.write(prompt)
        return StandardStream.input.readLine()
    }

    /// The session's credentials: resolved through the chain once, refreshed near expiry.
    public func credentials() throws(AWSError) -> RefreshingCredentials {
        if let c = state.withLock({ $0.credentials }) { return c }
        let context = try credentialContext()
        let chain = CredentialChain.standard(context: context, profile: profileSelection)
        let log = self.log
        let agentRequest = self.agentRequest
        let environment = self.environment
        let refreshing = RefreshingCredentials(now: context.now) { () throws(AWSError) in
            if let agentRequest, let answer = try AgentClient.resolve(agentRequest, environment: environment, passphraseCommand: nil) {
                log("credentials: from credctl agent: \(answer.credentials.provenance.summary)")
                return answer
            }
            let resolution = try chain.resolve()
            for attempt in resolution.attempts { log("credentials: \(attempt.provider): \(attempt.outcome)") }
            return resolution
        }
        return state.withLock { s in
            if let existing = s.credentials { return existing }
            s.credentials = refreshing
            return refreshing
        }
    }

    /// What this run asks a running agent for first; nil when it must not ask (`--no-cache`
    /// asks for fresh credentials: no agent then; a run that must not wait on the user, shell
    /// completion, does not ask: the agent may ask back).
    var agentRequest: AgentCredentialRequest? {
        settings.askAgent && !settings.noCache && settings.interactive
            ? AgentCredentialRequest(source: .chain, profile: settings.profile, region: settings.region, mfaCode: settings.mfaCode, environment: environment)
            : nil
    }

    /// Resolves credentials through the chain (once per run; again when they near expiry).
    public func resolveCredentials() throws(AWSError) -> CredentialChain.Resolution {
        try credentials().resolution()
    }

    /// A client signing with the session's credentials (resolved when it first signs).
    public func client() throws(AWSError) -> AWSClient {
        AWSClient(core: try core(), keys: try credentials())
    }

    /// A client on the run's core signing with these keys (a key just made, not from the chain).
    public func client(signing credentials: SigningCredentials) throws(AWSError) -> AWSClient {
        AWSClient(core: try core(), keys: FixedSigningKeys(credentials))
    }

    /// Where `service`'s requests go; `--endpoint-url` applies to every service a command calls.
    /// A global service (IAM) takes a configured region only: instance metadata is not asked for it.
    public func endpoint(_ service: AWSService) throws(AWSError) -> ResolvedEndpoint {
        let region = service.isGlobal ? configuredRegion.region : try self.region
        do {
            let configured = endpoints.configured(for: service)
            return try EndpointResolver.resolve(service, region: region?.name, configured: configured.map { ($0.value, $0.source) })
        } catch {
            guard region == nil, let note = regionNote else { throw error.awsError }
            throw .configuration(ConfigurationError("\(error) (none from instance metadata: \(note))"))
        }
    }

    // The service clients, each on the run's core with the session's credentials. The endpoint
    // is resolved first, so a missing region is reported before any credential provider runs.

    public func sts() throws(AWSError) -> STSClient { let e = try endpoint(.sts); return STSClient(client: try client(), endpoint: e) }
    public func iam() throws(AWSError) -> IAMClient { let e = try endpoint(.iam); return IAMClient(client: try client(), endpoint: e) }
    public func ssm() throws(AWSError) -> SSMClient { let e = try endpoint(.ssm); return SSMClient(client: try client(), endpoint: e) }
    /// DynamoDB at botocore's endpoint: the account's own (`ACCOUNT.ddb.REGION.amazonaws.com`)
    /// when `account_id_endpoint_mode` allows and the credentials name an account, which resolves
    /// them before the first request (botocore resolves them for its endpoint rules too).
    public func dynamoDB() throws(AWSError) -> DynamoDBClient {
        _ = try endpoint(.dynamoDB)
        let mode: AccountIdEndpointMode
        do { mode = try endpoints.accountIdEndpointMode() } catch { throw error.awsError }
        let configured = endpoints.configured(for: .dynamoDB)
        let e = try EndpointResolver.resolveDynamoDB(region: try self.region?.name, configured: configured.map { ($0.value, $0.source) },
                                                     mode: mode) { () throws(AWSError) -> String? in
            try self.resolveCredentials().credentials.accountId
        }
        return DynamoDBClient(client: try client(), endpoint: e)
    }
    public func secretsManager() throws(AWSError) -> SecretsManagerClient {
        let e = try endpoint(.secretsManager)
        return SecretsManagerClient(client: try client(), endpoint: e)
    }

    /// The rule for writes that must happen at most once, with this run's retry policy.
    public func atMostOnce() throws(AWSError) -> AtMostOnce { AtMostOnce(core: try core()) }
}
