import AWSCore
import AWSConfig

/// Tries providers in botocore's order and records what each one did.
public struct CredentialChain: Sendable {
    public let providers: [any CredentialProvider]
    /// Providers left out and why (e.g. the environment when `--profile` is given).
    public let skipped: [ProviderAttempt]
    let now: @Sendable () -> Int

    public init(providers: [any CredentialProvider], skipped: [ProviderAttempt] = [], now: @escaping @Sendable () -> Int = { WallClock.now() }) {
        self.providers = providers
        self.skipped = skipped
        self.now = now
    }

    /// botocore's chain: environment (unless `--profile` was given), assume-role, web identity
    /// (its variables too only without `--profile`), SSO, the credentials file,
    /// `credential_process`, the config file, the container endpoint, instance metadata.
    public static func standard(context: CredentialContext, profile: ProfileSelection) -> CredentialChain {
        var providers: [any CredentialProvider] = []
        var skipped: [ProviderAttempt] = []
        let settings = context.settings
        let profileValues = context.files.profile(profile.name)
        if profile.isExplicit {
            skipped.append(ProviderAttempt(provider: "environment", outcome: "skipped: --profile \(profile.name) was given"))
        } else {
            providers.append(EnvironmentCredentialsProvider(settings: settings.environmentKeys, profile: profile))
        }
        providers.append(AssumeRoleProvider(context: context, profileName: profile.name))
        providers.append(WebIdentityProvider(context: context, settings: .resolve(environment: profile.isExplicit ? nil : context.environment,
                                                                                   profileName: profile.name, profile: profileValues)))
        providers.append(SSOCredentialsProvider(context: context, profileName: profile.name))
        providers.append(StaticProfileCredentialsProvider(file: .credentials, files: context.files, profileName: profile.name))
        // credctl's own vault line is read in-process rather than by running credctl again.
        providers.append(VaultCredentialsProvider(context: context, profileName: profile.name,
                                                  openVault: context.vaultOpener ?? VaultCredentialsProvider.vaultOpener(environment: context.environment)))
        providers.append(ProcessCredentialsProvider(context: context, settings: .resolve(profileName: profile.name, profile: profileValues,
                                                                                          environment: context.environment)))
        providers.append(StaticProfileCredentialsProvider(file: .config, files: context.files, profileName: profile.name))
        providers.append(ContainerCredentialsProvider(context: context, settings: settings.container))
        providers.append(InstanceMetadataCredentialsProvider(context: context, settings: settings.instanceMetadata))
        return CredentialChain(providers: providers, skipped: skipped, now: context.now)
    }

    public struct Resolution: Sendable {
        public var credentials: Credentials
        public var attempts: [ProviderAttempt]

        public init(credentials: Credentials, attempts: [ProviderAttempt]) {
            self.credentials = credentials
            self.attempts = attempts
        }
    }

    /// The first provider's credentials, or nil when none answers; every attempt recorded either way.
    func firstFound() throws(AWSError) -> (credentials: Credentials?, attempts: [ProviderAttempt]) {
        var attempts = skipped
        for provider in providers {
            switch try provider.resolve() {
            case .found(let found):
                let credentials = try CredentialChecks.usable(found, from: provider.name, now: now())
                attempts.append(ProviderAttempt(provider: provider.name, outcome: "found \(Redaction.keyId(credentials.accessKeyId))"))
                return (credentials, attempts)
            case .notFound(let reason):
                attempts.append(ProviderAttempt(provider: provider.name, outcome: reason))
            }
        }
        return (nil, attempts)
    }

    /// Each attempt as `provider: outcome`, joined with `; `.
    static func describe(_ attempts: [ProviderAttempt]) -> String {
        attempts.map { "\($0.provider): \($0.outcome)" }.joined(separator: "; ")
    }

    /// The first provider's credentials; `noCredentials` listing every place looked at when none answers.
    public func resolve() throws(AWSError) -> Resolution {
        let (credentials, attempts) = try firstFound()
        if let credentials { return Resolution(credentials: credentials, attempts: attempts) }
        throw .noCredentials("no AWS credentials found. Looked at: \(Self.describe(attempts)). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or choose a profile with --profile or AWS_PROFILE")
    }
}
