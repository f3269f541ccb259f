import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// `AssumeRoleWithWebIdentity` (EKS IRSA and other OIDC federations) with the token file and
/// role of `WebIdentitySettings`. The call is unsigned; the token file is read afresh every time.
public struct WebIdentityProvider: CredentialProvider {
    public let kind = Provenance.Provider.webIdentity
    let context: CredentialContext
    let settings: WebIdentitySettings

    public init(context: CredentialContext, settings: WebIdentitySettings) {
        self.context = context
        self.settings = settings
    }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        guard let tokenFile = settings.tokenFile, !tokenFile.value.isEmpty else {
            return .notFound(settings.usesEnvironment
                ? "AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile '\(settings.profile)' has no web_identity_token_file"
                : "profile '\(settings.profile)' has no web_identity_token_file")
        }
        guard let role = settings.roleArn, !role.value.isEmpty else {
            throw .configuration(ConfigurationError(
                "a web identity token file is set (\(tokenFile.source)) but no role: set AWS_ROLE_ARN or the profile's role_arn"))
        }
        if let problem = STSParameterRules.roleArnProblem(role.value) {
            throw .configuration(ConfigurationError("role ARN from \(role.source): \(problem)"))
        }
        let now = context.now()
        let sessionName = settings.sessionName.map(\.value).flatMap { $0.isEmpty ? nil : $0 }
        if let sessionName, let problem = STSParameterRules.sessionNameProblem(sessionName) {
            throw .configuration(ConfigurationError("role session name: \(problem)"))
        }
        let path = settings.tokenPath(context.environment) ?? tokenFile.value
        let chain = ["web identity token \(path) (\(tokenFile.source))", role.value]
        let fromProfile = !tokenFile.isFromEnvironment
        let key = CredentialCache.key([("WebIdentityRoleArn", role.value), ("RoleSessionName", sessionName), ("TokenFile", path)])
        func found(_ credentials: SigningCredentials, _ expiration: Int, cached: Bool) -> ProviderOutcome {
            .found(Credentials(signing: credentials, expiration: expiration,
                               provenance: Provenance(provider: .webIdentity, profile: fromProfile ? settings.profile : nil,
                                                      location: tokenFile.source, roleChain: chain, fromCache: cached),
                               accountId: AccountID.ofARN(role.value)))
        }
        if let entry = context.cache?.load(key), entry.expiration - now >= CredentialCache.refreshWindow {
            return found(entry.credentials, entry.expiration, cached: true)
        }
        let token = try TokenFile.read(path, origin: tokenFile.source).trimmingSpaces()
        guard !token.isEmpty else { throw .noCredentials("the web identity token file \(path) is empty") }
        context.log("credentials: AssumeRoleWithWebIdentity for \(role.value) (unsigned)")
        let assumed = try context.sts(credentials: nil).assumeRoleWithWebIdentity(
            roleArn: role.value, sessionName: sessionName ?? "credctl-\(now)", token: token)
        try context.cache?.store(CredentialCache.Entry(credentials: assumed.credentials, expiration: assumed.expiration,
                                                      assumedRoleArn: assumed.assumedRoleArn), key: key)
        return found(assumed.credentials, assumed.expiration, cached: false)
    }
}

extension WebIdentityProvider {
    public static let registration = ProviderRegistration(
        kind: .webIdentity,
        reads: [SettingNames.webIdentityTokenFile, SettingNames.roleArn, SettingNames.roleSessionName,
                SettingNames.ProfileKey.webIdentityTokenFile, SettingNames.ProfileKey.roleArn, SettingNames.ProfileKey.roleSessionName],
        alsoIn: [.sourceProfile]
    ) { scope in
        WebIdentityProvider(context: scope.context, settings: .resolve(environment: scope.environmentApplies ? scope.context.environment : nil,
                                                                       profileName: scope.profileName, profile: scope.profileValues))
    }
}

extension Provenance.Provider {
    public static let webIdentity = Provenance.Provider("web-identity")
}
