import AWSClients
import AWSConfig
import AWSCore
import SigV4

/// `AssumeRoleWithWebIdentity` (EKS IRSA and other OIDC federations): a token file and a
/// role, from `AWS_WEB_IDENTITY_TOKEN_FILE`/`AWS_ROLE_ARN`/`AWS_ROLE_SESSION_NAME` or the
/// profile's `web_identity_token_file`/`role_arn`/`role_session_name`, each variable winning
/// over its setting. The call is unsigned; the token file is read afresh every time.
public struct WebIdentityProvider: CredentialProvider {
    public let name = "web-identity"
    let context: CredentialContext
    let profileName: String
    /// False when `--profile` was given or for a `source_profile`: profile settings only.
    let useEnvironment: Bool

    public init(context: CredentialContext, profileName: String, useEnvironment: Bool) {
        self.context = context
        self.profileName = profileName
        self.useEnvironment = useEnvironment
    }

    /// A setting and where it came from; as botocore, a variable that is set wins even when empty.
    func setting(_ key: String, variable: String) -> (value: String, source: String)? {
        if useEnvironment, let v = context.environment[variable] { return (v, variable) }
        if let v = context.files.profile(profileName)?.values[key] { return (v.text, v.location) }
        return nil
    }

    public func resolve() throws(AWSError) -> ProviderOutcome {
        guard let tokenFile = setting("web_identity_token_file", variable: "AWS_WEB_IDENTITY_TOKEN_FILE"), !tokenFile.value.isEmpty else {
            return .notFound(useEnvironment ? "AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile '\(profileName)' has no web_identity_token_file"
                                            : "profile '\(profileName)' has no web_identity_token_file")
        }
        guard let role = setting("role_arn", variable: "AWS_ROLE_ARN"), !role.value.isEmpty else {
            throw .configuration(ConfigurationError(
                "a web identity token file is set (\(tokenFile.source)) but no role: set AWS_ROLE_ARN or the profile's role_arn"))
        }
        if let problem = STSParameterRules.roleArnProblem(role.value) {
            throw .configuration(ConfigurationError("role ARN from \(role.source): \(problem)"))
        }
        let now = context.now()
        let sessionName = setting("role_session_name", variable: "AWS_ROLE_SESSION_NAME").map(\.value).flatMap { $0.isEmpty ? nil : $0 }
        if let sessionName, let problem = STSParameterRules.sessionNameProblem(sessionName) {
            throw .configuration(ConfigurationError("role session name: \(problem)"))
        }
        let path = LocalFile.expandTilde(tokenFile.value, context.environment)
        let chain = ["web identity token \(path) (\(tokenFile.source))", role.value]
        let fromProfile = !tokenFile.source.hasPrefix("AWS_")
        let key = CredentialCache.key([("WebIdentityRoleArn", role.value), ("RoleSessionName", sessionName), ("TokenFile", path)])
        func found(_ signing: SigningCredentialsAndExpiry, cached: Bool) -> ProviderOutcome {
            .found(Credentials(signing: signing.credentials, expiration: signing.expiration,
                               provenance: Provenance(provider: .webIdentity, profile: fromProfile ? profileName : nil,
                                                      location: tokenFile.source, roleChain: chain, fromCache: cached)))
        }
        if let entry = context.cache?.load(key), entry.expiration - now >= CredentialCache.refreshWindow {
            return found(SigningCredentialsAndExpiry(credentials: entry.credentials, expiration: entry.expiration), cached: true)
        }
        let token = try TokenFile.read(path, origin: tokenFile.source).trimmingSpaces()
        guard !token.isEmpty else { throw .noCredentials("the web identity token file \(path) is empty") }
        context.log("credentials: AssumeRoleWithWebIdentity for \(role.value) (unsigned)")
        let assumed = try context.sts(credentials: nil).assumeRoleWithWebIdentity(
            roleArn: role.value, sessionName: sessionName ?? "credctl-\(now)", token: token)
        try context.cache?.store(CredentialCache.Entry(credentials: assumed.credentials, expiration: assumed.expiration,
                                                      assumedRoleArn: assumed.assumedRoleArn), key: key)
        return found(SigningCredentialsAndExpiry(credentials: assumed.credentials, expiration: assumed.expiration), cached: false)
    }
}

struct SigningCredentialsAndExpiry {
    var credentials: SigningCredentials
    var expiration: Int
}
