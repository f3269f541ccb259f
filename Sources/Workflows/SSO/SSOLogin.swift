import AWSClients
import AWSCore
import AWSCredentials

/// `credctl sso login`, as the AWS CLI v2 runs it, writing the same cache files so that the AWS
/// CLI, botocore and every SDK use the token too. Two flows (`Flow`):
///
/// - **authorization code with PKCE** (the default for `[sso-session]` sessions, since AWS CLI
///   2.22; `SSOAuthorizationCodeLogin.swift`): a browser on this computer signs in and is
///   redirected to a listener on 127.0.0.1.
/// - **device code** (RFC 8628; `--use-device-code`, and always for legacy profiles):
///   1. `StartDeviceAuthorization` for the start URL.
///   2. One `CreateToken` at once (a pre-authorized client needs no prompt), then the
///      verification URL and user code are shown (and a browser opened, if asked), then
///      `CreateToken` every `interval` seconds (default 5): `authorization_pending` waits,
///      `slow_down` adds 5 seconds to the interval, `expired_token` (or the device code's own
///      expiry) stops with exit 3, `access_denied` too.
///
/// Both first take a client registration: the one cached under the AWS CLI's key (SHA-1 of
/// `tool`, `startUrl`, `region`, `scopes`, `session_name`) while more than 15 minutes remain and
/// it was made for the same flow (`grantTypes` holds `authorization_code` or not), else a new one
/// (cached). The token is written (atomically, 0600) with `startUrl`, `region`, `accessToken`,
/// `expiresAt`, `clientId`, `clientSecret`, `registrationExpiresAt`, `refreshToken`.
public struct SSOLogin: Sendable {
    public enum Flow: String, Sendable {
        case authorizationCode = "authorization-code"
        case deviceCode = "device-code"
    }

    /// What the user must do, shown once: open the authorization URL (authorization code), or
    /// confirm a user code (device code).
    public enum Prompt: Sendable {
        case authorizationCode(url: String)
        case deviceCode(SSODeviceAuthorization)
    }

    public struct Report: Sendable {
        public var session: SSOSession
        public var flow: Flow
        public var expiresAt: Int
        public var hasRefreshToken: Bool
        public var registrationReused: Bool
        public var cachePath: String
        /// `CreateToken` calls made, the successful one included.
        public var polls: Int
        /// The start URL a vanity URL led to (used to sign in), when it differs from the configured one.
        public var resolvedStartURL: String?
        /// The config file whose `sso_region` was set to `session.region` (a vanity URL led there).
        public var regionUpdatedIn: String?
    }

    /// The RFC's default polling interval and its slow-down increment, in seconds.
    public static let defaultInterval = 5
    public static let slowDownIncrement = 5
    /// A registration with less than this left is replaced (the AWS CLI's `_EXPIRY_WINDOW`).
    public static let registrationWindow = 15 * 60

    /// The session signed in to: `region` is where the sign-in happens (the region a vanity
    /// start URL led to); `startURL` is the configured one, which names the token.
    public let session: SSOSession
    public let flow: Flow
    /// The start URL sent to the service (`issuerUrl`, `startUrl`): a vanity URL resolved.
    public let authorizationStartURL: String
    public let cache: SSOTokenCache
    public let services: SSOServices
    /// What to run again when the authorization expires.
    public let loginCommand: String
    /// The clock the polling waits on (the run's, unless given).
    public let clock: any RunClock
    /// How long the authorization-code flow waits for the browser's redirect (the AWS CLI's 10 minutes).
    public var redirectTimeLimit: Double = 600

    public init(session: SSOSession, flow: Flow, authorizationStartURL: String? = nil, cache: SSOTokenCache,
                services: SSOServices, loginCommand: String, clock: (any RunClock)? = nil) {
        self.session = session
        self.flow = flow
        self.authorizationStartURL = authorizationStartURL ?? session.startURL
        self.cache = cache
        self.services = services
        self.loginCommand = loginCommand
        self.clock = clock ?? services.core.time
    }

    func now() -> Int { clock.wallSeconds() }

    /// The flow a login takes: device code when asked or for a legacy (session-less) profile,
    /// else authorization code, as the AWS CLI's `do_sso_login` chooses.
    public static func flow(for session: SSOSession, useDeviceCode: Bool) -> Flow {
        session.name != nil && !useDeviceCode ? .authorizationCode : .deviceCode
    }

    /// Runs the flow; `onPending` shows the user what to do (called at most once).
    public func run(onPending: (Prompt) -> Void) throws(AWSError) -> Report {
        switch flow {
        case .authorizationCode: return try runAuthorizationCode(onPending: onPending)
        case .deviceCode: return try runDeviceCode(onPending: onPending)
        }
    }

    func runDeviceCode(onPending: (Prompt) -> Void) throws(AWSError) -> Report {
        let oidc = try services.oidc(region: session.region)
        var (registration, reused) = try registration(oidc, reuse: true)
        let authorization: SSODeviceAuthorization
        do {
            authorization = try oidc.startDeviceAuthorization(registration, startURL: authorizationStartURL)
        } catch {
            // A cached registration the service no longer knows (revoked, or the instance
            // recreated): register anew once rather than fail until it expires.
            guard reused, case .service(let e) = error, e.code == "InvalidClientException" else { throw error }
            services.core.log("sso: the cached client registration was refused (InvalidClientException); registering a new client")
            (registration, reused) = try self.registration(oidc, reuse: false)
            authorization = try oidc.startDeviceAuthorization(registration, startURL: authorizationStartURL)
        }
        // Polls every `interval` seconds (which slow_down lengthens) until the device code expires.
        var loop = Waiter(backoff: .fixed(Double(Self.defaultInterval)), timeout: Double(authorization.expiresIn), clock: clock).start()
        var interval = authorization.interval ?? Self.defaultInterval
        var polls = 1
        var grant = try attempt(oidc, registration, authorization, interval: &interval)
        if grant == nil { onPending(.deviceCode(authorization)) }
        while grant == nil {
            guard loop.pause(Double(interval)) else { throw expired() }
            polls += 1
            grant = try attempt(oidc, registration, authorization, interval: &interval)
        }
        return try store(grant!, registration: registration, reused: reused, polls: polls)
    }

    /// Writes the token as botocore does and describes the login.
    func store(_ grant: SSOTokenGrant, registration: SSOClientRegistration, reused: Bool, polls: Int) throws(AWSError) -> Report {
        let token = SSOToken(startURL: session.startURL, region: session.region, accessToken: grant.accessToken,
                             expiresAt: now() + grant.expiresIn, clientId: registration.clientId,
                             clientSecret: registration.clientSecret,
                             registrationExpiresAt: SSOTimestamp.format(registration.expiresAt), refreshToken: grant.refreshToken)
        try cache.store(token, for: session)
        return Report(session: session, flow: flow, expiresAt: token.expiresAt, hasRefreshToken: grant.refreshToken != nil,
                      registrationReused: reused, cachePath: cache.path(for: session), polls: polls,
                      resolvedStartURL: authorizationStartURL == session.startURL ? nil : authorizationStartURL)
    }

    /// The cached registration when usable for this flow (and `reuse`), else a new one (cached).
    /// An authorization-code registration declares its grants, the loopback redirect and the
    /// start URL as issuer, and always has scopes (`sso:account:access` when none are configured).
    func registration(_ oidc: SSOOIDCClient, reuse: Bool) throws(AWSError) -> (SSOClientRegistration, Bool) {
        let forCode = flow == .authorizationCode
        if reuse, let cached = cache.loadRegistration(session), cached.expiresAt - now() >= Self.registrationWindow,
           (cached.grantTypes ?? []).contains("authorization_code") == forCode {
            services.core.log("sso: reusing the client registration cached until \(Timestamp.format(cached.expiresAt))")
            return (SSOClientRegistration(clientId: cached.clientId, clientSecret: cached.clientSecret, expiresAt: cached.expiresAt), true)
        }
        let name = "credctl-client-\(session.name ?? String(now()))"
        let scopes = forCode ? authorizationScopes : session.registrationScopes
        let fresh = try oidc.registerClient(clientName: name, scopes: scopes,
                                            authorizationCode: forCode ? .init(issuerURL: authorizationStartURL) : nil)
        try cache.storeRegistration(SSOCachedRegistration(clientId: fresh.clientId, clientSecret: fresh.clientSecret,
                                                          expiresAt: fresh.expiresAt, scopes: scopes,
                                                          grantTypes: forCode ? SSOOIDCClient.AuthorizationCodeClient.grantTypes : nil),
                                    for: session)
        return (fresh, false)
    }

    /// The scopes of the authorization-code flow: the session's, else `sso:account:access`.
    var authorizationScopes: [String] {
        if let scopes = session.registrationScopes, !scopes.isEmpty { return scopes }
        return ["sso:account:access"]
    }

    /// One `CreateToken`: the grant, or nil while the user has not approved yet.
    func attempt(_ oidc: SSOOIDCClient, _ registration: SSOClientRegistration, _ authorization: SSODeviceAuthorization,
                 interval: inout Int) throws(AWSError) -> SSOTokenGrant? {
        do {
            return try oidc.createToken(clientId: registration.clientId, clientSecret: registration.clientSecret,
                                        grant: .deviceCode(authorization.deviceCode))
        } catch {
            guard case .service(let e) = error else { throw error }
            switch e.code {
            case "AuthorizationPendingException":
                return nil
            case "SlowDownException":
                interval += Self.slowDownIncrement
                services.core.log("sso: slow_down: polling every \(interval) s")
                return nil
            case "ExpiredTokenException":
                throw expired()
            case "AccessDeniedException":
                throw .noCredentials("the sign-in for \(session.label) was denied in the browser (AccessDeniedException); nothing was written. Run `\(loginCommand)` to try again")
            default:
                throw error
            }
        }
    }

    func expired() -> AWSError {
        .noCredentials("the device authorization for \(session.label) expired before it was approved; nothing was written. Run `\(loginCommand)` again")
    }
}
