import AWSClients
import AWSConfig
import AWSCore
import AWSCredentials
import SigV4
import Vault

/// `credctl console`: an AWS console sign-in URL for the resolved credentials, through the
/// federation endpoint, as aws-vault's `login` makes it:
///
/// 1. credentials the endpoint takes: role credentials (assumed role, SSO, web identity, a
///    container or instance role) as they are; for a long-term key — or a vault profile, whose
///    consumers get `GetSessionToken` credentials the endpoint refuses — STS
///    `GetFederationToken` with the long-term key, named after the IAM user, with a policy
///    allowing everything, so the session gets exactly what the user's own policies allow;
/// 2. `GET …/federation?Action=getSigninToken&Session={sessionId, sessionKey, sessionToken}`
///    (plus `SessionDuration` for role credentials) answers `{"SigninToken": …}`;
/// 3. the URL `…/federation?Action=login&Issuer=credctl&Destination=CONSOLE&SigninToken=…`.
///
/// The URL signs in whoever holds it (for 15 minutes): it is never logged, and the request
/// carrying the session is logged without its query.
public struct ConsoleSignIn: Sendable {
    /// The console session (role credentials) or the federated credentials' lifetime; nil: the
    /// endpoint's default for roles, one hour for a federated user.
    public var durationSeconds: Int?

    public static let issuer = "credctl"
    /// The session policy of `GetFederationToken`: the intersection with the user's policies is what the user has.
    static let allowAllPolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
    static let defaultFederationSeconds = 3600

    public init(durationSeconds: Int?) {
        self.durationSeconds = durationSeconds
    }

    /// 900 s to 36 h; checked before anything is resolved.
    public func validate() throws(AWSError) {
        if let d = durationSeconds, let problem = STSParameterRules.federationDurationProblem(d) {
            throw .configuration(ConfigurationError("--duration: \(problem)"))
        }
    }

    public struct SignIn: Sendable {
        /// The sign-in URL: a secret.
        public var url: String
        /// How the console session was made, in words (no secret).
        public var via: String
        public var destination: String
    }

    public func run(_ session: AWSSession) throws(AWSError) -> SignIn {
        try validate()
        let endpoint = try FederationEndpoint.resolve(region: session.region?.name, environment: session.environment)
        let credentials = try session.resolveCredentials().credentials
        let (usable, via, isRole) = try federationCredentials(credentials, session: session)
        if isRole, let d = durationSeconds, d > 43_200 {
            throw .configuration(ConfigurationError("--duration: a console session of role credentials lasts at most 43200 seconds (12 hours)"))
        }
        let token = try signinToken(usable, sessionDuration: isRole ? durationSeconds : nil, endpoint: endpoint, session: session)
        let url = endpoint.with([("Action", "login"), ("Issuer", Self.issuer), ("Destination", endpoint.destination), ("SigninToken", token)])
        return SignIn(url: url.description, via: via, destination: endpoint.destination)
    }

    /// Credentials the federation endpoint takes, how they were had, and whether they are a role's.
    func federationCredentials(_ c: Credentials, session: AWSSession) throws(AWSError) -> (SigningCredentials, String, Bool) {
        if c.signing.sessionToken == nil {
            return try federate(c.signing, session: session, what: "the long-term key \(Redaction.keyId(c.accessKeyId))")
        }
        if c.provenance.provider == .vault, let key = try vaultKey(session) {
            return try federate(key, session: session, what: "the long-term key of vault profile \(c.provenance.profile ?? session.profileSelection.name)")
        }
        return (c.signing, "the \(c.provenance.provider.rawValue) credentials (\(Redaction.keyId(c.accessKeyId)))", true)
    }

    /// The long-term key of the session's vault profile, unlocked.
    func vaultKey(_ session: AWSSession) throws(AWSError) -> SigningCredentials? {
        guard let line = session.profile?["credential_process"], let entry = VaultReference.profile(inCommandLine: line) else { return nil }
        let vault = try VaultCredentialsProvider.vaultOpener(environment: session.environment)(VaultReference.backend(inCommandLine: line))
        do { return try vault.credentials(profile: entry) } catch { throw error.awsError }
    }

    /// `GetFederationToken` with a long-term key, named after its IAM user.
    func federate(_ key: SigningCredentials, session: AWSSession, what: String) throws(AWSError) -> (SigningCredentials, String, Bool) {
        let sts = STSClient(client: try session.client(signing: key), endpoint: try session.endpoint(.sts))
        let name = Self.federatedName(userArn: try sts.getCallerIdentity().arn)
        let token = try sts.getFederationToken(name: name, policy: Self.allowAllPolicy, durationSeconds: durationSeconds ?? Self.defaultFederationSeconds)
        session.log("console: GetFederationToken for federated user \(name) with \(what), valid until \(Timestamp.format(token.expiration))")
        return (token.credentials, "federated user \(name) (GetFederationToken with \(what))", false)
    }

    /// The IAM user's name (`arn:aws:iam::1:user/path/NAME`), cut to STS's 32 characters of
    /// `[\w+=,.@-]`; `credctl` when the ARN names no user.
    static func federatedName(userArn: String) -> String {
        guard let resource = userArn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last,
              resource.hasPrefix("user/"), let last = resource.split(separator: "/").last else { return "credctl" }
        let name = String(String(last).unicodeScalars.filter { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || "_+=,.@-".unicodeScalars.contains(c)
        }.prefix(32))
        return STSParameterRules.federatedUserNameProblem(name) == nil ? name : "credctl"
    }

    /// `getSigninToken`: the request's query holds the session, so it is logged without it.
    func signinToken(_ c: SigningCredentials, sessionDuration: Int?, endpoint: FederationEndpoint, session: AWSSession) throws(AWSError) -> String {
        let sessionJSON = JSONValue.object([("sessionId", .string(c.accessKeyId)), ("sessionKey", .string(c.secretAccessKey)),
                                            ("sessionToken", .string(c.sessionToken ?? ""))]).serialized()
        var parameters = [("Action", "getSigninToken")]
        if let d = sessionDuration { parameters.append(("SessionDuration", String(d))) }
        parameters.append(("Session", sessionJSON))
        let url = endpoint.with(parameters)
        let request = HTTPRequest(method: "GET", url: url, headers: [("User-Agent", "credctl/\(CredctlVersion.current)")], safety: .idempotent)
        session.log("> GET \(url.scheme)://\(url.hostHeader)\(url.path)?Action=getSigninToken&… (the query holds the session: not shown)")
        let response: HTTPResponse
        let transport = try session.core().transport
        do { response = try transport.send(request) } catch { throw .transport(error) }
        session.log("< HTTP \(response.status) (\(response.body.count) bytes, not shown)")
        let operation = "federation:getSigninToken"
        switch response.status {
        case 200:
            guard let json = try? JSONValue.parse(response.body), let token = json["SigninToken"]?.stringValue, !token.isEmpty else {
                throw .invalidResponse(operation: operation, detail: "the answer holds no SigninToken")
            }
            return token
        case 400, 401, 403:
            throw .invalidCredentials("the federation endpoint \(endpoint.url.hostHeader) refused these credentials (HTTP \(response.status)): "
                + "it takes role and federated-user credentials only, not GetSessionToken's, and none that are expired")
        default:
            throw .invalidResponse(operation: operation, detail: "HTTP \(response.status) from \(endpoint.url.hostHeader)")
        }
    }
}
