import AWSClients
import AWSCore

/// An SSO access token ready to use. The token never prints.
public struct SSOAccessToken: Sendable, CustomStringConvertible {
    public var token: String
    /// Seconds since 1970.
    public var expiresAt: Int
    /// True when it was refreshed (and written back to the cache) for this use.
    public var refreshed: Bool
    public var cachePath: String

    public var description: String { "SSOAccessToken(expires \(Timestamp.format(expiresAt)), token not shown)" }
}

/// The session's access token from the shared cache, as botocore gets it.
///
/// `sso_session` profiles (botocore's `SSOTokenProvider`): a token with less than 15 minutes
/// left is refreshed with SSO-OIDC `CreateToken` (refresh-token grant) when the cache holds a
/// refresh token, the client id and secret and an unexpired registration; the new token is
/// written back with the fields botocore writes (`startUrl`, `region`, `accessToken`,
/// `expiresAt`, `clientId`, `clientSecret`, `registrationExpiresAt`, and `refreshToken` when
/// the answer has one), so the AWS CLI sees it too. A refresh the service refuses leaves the
/// old token in use while it is still valid. Legacy profiles (botocore's `SSOTokenLoader`)
/// are never refreshed.
public struct SSOTokenProvider: Sendable {
    /// botocore's `_REFRESH_WINDOW`.
    public static let refreshWindow = 15 * 60

    public let session: SSOSession
    public let cache: SSOTokenCache
    public let services: SSOServices
    /// What to tell the user to run when there is no usable token.
    public let loginCommand: String

    public init(session: SSOSession, cache: SSOTokenCache, services: SSOServices, loginCommand: String) {
        self.session = session
        self.cache = cache
        self.services = services
        self.loginCommand = loginCommand
    }

    /// Seconds since 1970 on the run's clock: the one of the client core the refresh calls through.
    func now() -> Int { services.core.time.wallSeconds() }

    /// `credctl sso login --profile P`, or `--sso-session S` when no profile names the session.
    public static func loginCommand(profile: String?, session: SSOSession) -> String {
        if let profile { return "credctl sso login --profile \(profile)" }
        if let name = session.name { return "credctl sso login --sso-session \(name)" }
        return "credctl sso login"
    }

    public func token() throws(AWSError) -> SSOAccessToken {
        let path = cache.path(for: session)
        var token: SSOToken
        do { token = try cache.load(session) } catch {
            throw .noCredentials("no usable SSO token for \(session.label): \(error). Run `\(loginCommand)`")
        }
        var refreshed = false
        var refreshProblem: String?
        if session.name != nil, token.expiresAt - now() < Self.refreshWindow {
            switch try refresh(token) {
            case .refreshed(let fresh):
                try cache.store(fresh, for: session)
                services.core.log("sso: token of \(session.label) refreshed, valid until \(Timestamp.format(fresh.expiresAt)); written to \(path)")
                token = fresh
                refreshed = true
            case .notRefreshed(let reason):
                services.core.log("sso: token of \(session.label) not refreshed: \(reason)")
                refreshProblem = reason
                // Another process (the AWS CLI, another credctl) may have refreshed it meanwhile.
                if let again = try? cache.load(session), again.expiresAt > token.expiresAt { token = again }
            }
        }
        guard token.expiresAt > now() else {
            let why = refreshProblem.map { " and could not be refreshed (\($0))" } ?? (session.name == nil ? " (a legacy sso_start_url profile's token is never refreshed)" : "")
            throw .noCredentials("the SSO token for \(session.label) expired at \(Timestamp.format(token.expiresAt))\(why). Run `\(loginCommand)`")
        }
        // It goes into a header: a CR or LF (a damaged or planted cache file) is refused before anything is sent.
        guard !token.accessToken.utf8.contains(where: HeaderRules.isForbiddenInValue) else {
            throw .invalidCredentials("the SSO token for \(session.label) in \(path) contains a control character (CR, LF, NUL, …); nothing was sent. Run `\(loginCommand)`")
        }
        return SSOAccessToken(token: token.accessToken, expiresAt: token.expiresAt, refreshed: refreshed, cachePath: path)
    }

    enum RefreshOutcome {
        case refreshed(SSOToken)
        case notRefreshed(String)
    }

    /// botocore's `_refresh_access_token`: only service refusals are swallowed; a network
    /// failure is an error, as in botocore.
    func refresh(_ token: SSOToken) throws(AWSError) -> RefreshOutcome {
        guard let refreshToken = token.refreshToken, let clientId = token.clientId, let clientSecret = token.clientSecret,
              let registrationText = token.registrationExpiresAt else {
            return .notRefreshed("the cached token has no refresh token and client registration")
        }
        guard let registrationExpiry = SSOTimestamp.parse(registrationText) else {
            return .notRefreshed("its registrationExpiresAt is not a time")
        }
        guard registrationExpiry > now() else {
            return .notRefreshed("the client registration expired at \(Timestamp.format(registrationExpiry))")
        }
        let grant: SSOTokenGrant
        do {
            grant = try services.oidc(region: session.region).createToken(clientId: clientId, clientSecret: clientSecret,
                                                                          grant: .refreshToken(refreshToken))
        } catch {
            if case .service(let e) = error { return .notRefreshed("CreateToken: \(e.code)") }
            throw error
        }
        return .refreshed(SSOToken(startURL: session.startURL, region: session.region, accessToken: grant.accessToken,
                                   expiresAt: now() + grant.expiresIn, clientId: clientId, clientSecret: clientSecret,
                                   registrationExpiresAt: registrationText, refreshToken: grant.refreshToken))
    }
}
