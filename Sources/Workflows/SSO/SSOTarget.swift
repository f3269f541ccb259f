import AWSClients
import AWSConfig
import AWSCore
import AWSCredentials

/// The IAM Identity Center session an `sso` command works on, chosen as the AWS CLI chooses
/// it: `--sso-session NAME`, else the profile's `sso_session`, else the profile's own
/// `sso_start_url` and `sso_region` (legacy). Carries what the commands need to reach it.
public struct SSOTarget: Sendable {
    public var session: SSOSession
    /// The profile it was found through; nil with `--sso-session`.
    public var profile: String?
    public var services: SSOServices
    public var tokenCache: SSOTokenCache
    /// What to tell the user to run when the token is missing or no longer accepted.
    public var loginCommand: String
    public var log: DebugLog
    /// The sections of the credentials file (names `sso sync` must not reuse).
    public var credentialsProfileNames: [String]

    public static func resolve(_ s: AWSSession, ssoSession: String?) throws(AWSError) -> SSOTarget {
        if s.settings.endpointURL != nil {
            throw .configuration(ConfigurationError(
                "--endpoint-url does not apply to sso commands, which call two services: set AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC"))
        }
        let session: SSOSession
        var profile: String?
        if let name = ssoSession {
            if s.profileSelection.isExplicit {
                throw .configuration(ConfigurationError("give --profile or --sso-session, not both"))
            }
            session = try SSOConfiguration.session(named: name, files: s.files)
        } else {
            profile = s.profileSelection.name
            session = try SSOConfiguration.loginSession(profile: s.profileSelection.name, files: s.files)
        }
        let login = profile.map { "credctl sso login --profile \($0)" }
            ?? SSOTokenProvider.loginCommand(profile: nil, session: session)
        return SSOTarget(session: session, profile: profile, services: try SSOServices(try s.credentialContext()),
                         tokenCache: SSOTokenCache.standard(s.environment), loginCommand: login, log: s.log,
                         credentialsProfileNames: s.files.credentials?.sections.map(\.name) ?? [])
    }

    /// A usable access token (refreshed when due, for `[sso-session]` sessions).
    public func accessToken() throws(AWSError) -> SSOAccessToken {
        try SSOTokenProvider(session: session, cache: tokenCache, services: services, loginCommand: loginCommand).token()
    }

    public func portal() throws(AWSError) -> SSOClient { try services.portal(region: session.region) }

    /// A portal error in words: `UnauthorizedException` means only a new login helps (exit 3).
    public func explain(_ error: AWSError) -> AWSError {
        guard case .service(let e) = error, e.code == "UnauthorizedException" else { return error }
        return .noCredentials("the SSO session for \(session.label) has expired or is otherwise invalid (UnauthorizedException from \(e.operation ?? "the portal")). Run `\(loginCommand)`")
    }
}
