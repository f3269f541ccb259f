import AWSCore
import AWSConfig
import SigV4

/// The keys in the environment (`EnvironmentKeySettings`).
public struct EnvironmentCredentialsProvider: CredentialProvider {
    public let kind = Provenance.Provider.environment
    let settings: EnvironmentKeySettings
    let profile: ProfileSelection
    /// False when `--profile` was given: the keys in the environment are passed over.
    let applies: Bool

    public init(settings: EnvironmentKeySettings, profile: ProfileSelection, applies: Bool = true) {
        self.settings = settings
        self.profile = profile
        self.applies = applies
    }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        guard applies else { return .notFound("skipped: --profile \(profile.name) was given") }
        switch (settings.accessKeyId, settings.secretAccessKey) {
        case (nil, nil):
            return .notFound("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        case (.some, nil):
            throw .invalidCredentials("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or unset AWS_ACCESS_KEY_ID")
        case (nil, .some):
            // botocore looks no further when the key id is missing; neither does credctl.
            return .notFound("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not, so the environment is passed over")
        case let (id?, secret?):
            var expiration: Int?
            if let text = settings.expiration {
                guard let t = Timestamp.parse(text) else {
                    throw .invalidCredentials("AWS_CREDENTIAL_EXPIRATION '\(PrintableText.escaped(String(text.prefix(40))))' is not an RFC 3339 time such as 2026-01-01T00:00:00Z")
                }
                expiration = t
            }
            var rule: String?
            switch profile.source {
            case .awsProfile, .awsDefaultProfile:
                rule = "environment keys win over \(profile.source.rawValue)=\(profile.name) (only --profile turns them off)"
            case .flag, .defaultName:
                rule = nil
            }
            let provenance = Provenance(provider: .environment, location: "AWS_ACCESS_KEY_ID", rule: rule)
            return .found(Credentials(signing: SigningCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: settings.sessionToken),
                                      expiration: expiration, provenance: provenance))
        }
    }
}

extension EnvironmentCredentialsProvider {
    public static let registration = ProviderRegistration(
        kind: .environment,
        reads: [SettingNames.accessKeyId, SettingNames.secretAccessKey, SettingNames.securityToken, SettingNames.sessionToken,
                SettingNames.credentialExpiration],
        credentialSource: "Environment"
    ) { scope in
        EnvironmentCredentialsProvider(settings: scope.context.settings.environmentKeys, profile: scope.profile, applies: scope.environmentApplies)
    }
}

extension Provenance.Provider {
    public static let environment = Provenance.Provider("environment")
}
