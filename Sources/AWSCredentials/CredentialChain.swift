import AWSCore
import AWSConfig

/// Tries providers in botocore's order and records what each one did.
public struct CredentialChain: Sendable {
    public let providers: [any CredentialProvider]
    let now: @Sendable () -> Int

    public init(providers: [any CredentialProvider], now: @escaping @Sendable () -> Int = { WallClock.now() }) {
        self.providers = providers
        self.now = now
    }

    /// The run's chain for `profile`: every provider of `ProviderRegistry`, in its order
    /// (botocore's: environment unless `--profile` was given, assume-role, web identity, SSO,
    /// the credentials file, credctl's vault, `credential_process`, the config file, the
    /// container endpoint, instance metadata).
    public static func standard(context: CredentialContext, profile: ProfileSelection) -> CredentialChain {
        CredentialChain(providers: ProviderRegistry.providers(for: ProviderScope(context: context, profile: profile, chain: .standard)),
                        now: context.now)
    }

    public struct Resolution: Sendable {
        public var credentials: Credentials
        public var attempts: [ProviderAttempt]
    }

    /// The first provider's credentials, or nil when none answers; every attempt recorded either way.
    func firstFound() throws(AWSError) -> (credentials: Credentials?, attempts: [ProviderAttempt]) {
        var attempts: [ProviderAttempt] = []
        for provider in providers {
            switch try provider.resolve() {
            case .found(let found):
                let credentials = try CredentialChecks.usable(found, from: provider.kind, now: now())
                attempts.append(ProviderAttempt(provider: provider.kind, outcome: "found \(Redaction.keyId(credentials.accessKeyId))"))
                return (credentials, attempts)
            case .notFound(let reason):
                attempts.append(ProviderAttempt(provider: provider.kind, outcome: reason))
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
