import AWSCore
import AWSConfig

/// Tries providers in botocore's order and records what each one did.
public struct CredentialChain: Sendable {
    public let providers: [any CredentialProvider]
    /// Providers left out and why (e.g. the environment when `--profile` is given).
    public let skipped: [ProviderAttempt]

    public init(providers: [any CredentialProvider], skipped: [ProviderAttempt] = []) {
        self.providers = providers
        self.skipped = skipped
    }

    /// The default chain for a profile: environment (unless `--profile` was given), the shared
    /// credentials file, the config file. (Assume-role, web identity, process, container and
    /// instance-metadata providers take their places in this order as they are added.)
    public static func standard(environment: Environment, files: SharedConfigFiles, profile: ProfileSelection) -> CredentialChain {
        var providers: [any CredentialProvider] = []
        var skipped: [ProviderAttempt] = []
        if profile.isExplicit {
            skipped.append(ProviderAttempt(provider: "environment", outcome: "skipped: --profile \(profile.name) was given"))
        } else {
            providers.append(EnvironmentCredentialsProvider(environment: environment, profile: profile))
        }
        providers.append(StaticProfileCredentialsProvider(file: .credentials, files: files, profileName: profile.name))
        providers.append(StaticProfileCredentialsProvider(file: .config, files: files, profileName: profile.name))
        return CredentialChain(providers: providers, skipped: skipped)
    }

    public struct Resolution: Sendable {
        public var credentials: Credentials
        public var attempts: [ProviderAttempt]
    }

    /// The first provider's credentials; `noCredentials` listing every place looked at when none answers.
    public func resolve() throws(AWSError) -> Resolution {
        var attempts = skipped
        for provider in providers {
            switch try provider.resolve() {
            case .found(let credentials):
                attempts.append(ProviderAttempt(provider: provider.name, outcome: "found \(Redaction.keyId(credentials.accessKeyId))"))
                return Resolution(credentials: credentials, attempts: attempts)
            case .notFound(let reason):
                attempts.append(ProviderAttempt(provider: provider.name, outcome: reason))
            }
        }
        let looked = attempts.map { "\($0.provider): \($0.outcome)" }.joined(separator: "; ")
        throw .noCredentials("no AWS credentials found. Looked at: \(looked). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or choose a profile with --profile or AWS_PROFILE")
    }
}
