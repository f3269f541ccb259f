import AWSClients
import AWSCore
import AWSCredentials

/// `credctl sso login`: the OAuth 2.0 device authorization grant (RFC 8628) as the AWS CLI v2
/// runs it, writing the same cache files so that the AWS CLI, botocore and every SDK use the
/// token too.
///
/// 1. The client registration cached under the AWS CLI's key (SHA-1 of `tool`, `startUrl`,
///    `region`, `scopes`, `session_name`) is reused while more than 15 minutes remain (and it is
///    not one of the AWS CLI's authorization-code registrations); otherwise `RegisterClient`
///    (public client, the session's scopes) and the registration is cached.
/// 2. `StartDeviceAuthorization` for the start URL.
/// 3. One `CreateToken` at once (a pre-authorized client needs no prompt), then the
///    verification URL and user code are shown (and a browser opened, if asked), then
///    `CreateToken` every `interval` seconds (default 5): `authorization_pending` waits,
///    `slow_down` adds 5 seconds to the interval, `expired_token` (or the device code's own
///    expiry) stops with exit 3, `access_denied` too.
/// 4. The token is written (atomically, 0600) with `startUrl`, `region`, `accessToken`,
///    `expiresAt`, `clientId`, `clientSecret`, `registrationExpiresAt`, `refreshToken`.
public struct SSOLogin: Sendable {
    public struct Report: Sendable {
        public var session: SSOSession
        public var expiresAt: Int
        public var hasRefreshToken: Bool
        public var registrationReused: Bool
        public var cachePath: String
        /// `CreateToken` calls made, the successful one included.
        public var polls: Int
    }

    /// The RFC's default polling interval and its slow-down increment, in seconds.
    public static let defaultInterval = 5
    public static let slowDownIncrement = 5
    /// A registration with less than this left is replaced (the AWS CLI's `_EXPIRY_WINDOW`).
    public static let registrationWindow = 15 * 60

    public let session: SSOSession
    public let cache: SSOTokenCache
    public let services: SSOServices
    /// What to run again when the authorization expires.
    public let loginCommand: String
    /// The clock the polling waits on (the run's, unless given).
    public let clock: any RunClock

    public init(session: SSOSession, cache: SSOTokenCache, services: SSOServices, loginCommand: String, clock: (any RunClock)? = nil) {
        self.session = session
        self.cache = cache
        self.services = services
        self.loginCommand = loginCommand
        self.clock = clock ?? services.core.time
    }

    func now() -> Int { clock.wallSeconds() }

    /// Runs the flow; `onPending` shows the authorization to the user (called at most once).
    public func run(onPending: (SSODeviceAuthorization) -> Void) throws(AWSError) -> Report {
        let oidc = try services.oidc(region: session.region)
        var (registration, reused) = try registration(oidc, reuse: true)
        let authorization: SSODeviceAuthorization
        do {
            authorization = try oidc.startDeviceAuthorization(registration, startURL: session.startURL)
        } catch {
            // A cached registration the service no longer knows (revoked, or the instance
            // recreated): register anew once rather than fail until it expires.
            guard reused, case .service(let e) = error, e.code == "InvalidClientException" else { throw error }
            services.core.log("sso: the cached client registration was refused (InvalidClientException); registering a new client")
            (registration, reused) = try self.registration(oidc, reuse: false)
            authorization = try oidc.startDeviceAuthorization(registration, startURL: session.startURL)
        }
        // Polls every `interval` seconds (which slow_down lengthens) until the device code expires.
        var loop = Waiter(backoff: .fixed(Double(Self.defaultInterval)), timeout: Double(authorization.expiresIn), clock: clock).start()
        var interval = authorization.interval ?? Self.defaultInterval
        var polls = 1
        var grant = try attempt(oidc, registration, authorization, interval: &interval)
        if grant == nil { onPending(authorization) }
        while grant == nil {
            guard loop.pause(Double(interval)) else { throw expired() }
            polls += 1
            grant = try attempt(oidc, registration, authorization, interval: &interval)
        }
        let token = SSOToken(startURL: session.startURL, region: session.region, accessToken: grant!.accessToken,
                             expiresAt: now() + grant!.expiresIn, clientId: registration.clientId,
                             clientSecret: registration.clientSecret,
                             registrationExpiresAt: SSOTimestamp.format(registration.expiresAt), refreshToken: grant!.refreshToken)
        try cache.store(token, for: session)
        return Report(session: session, expiresAt: token.expiresAt, hasRefreshToken: grant!.refreshToken != nil,
                      registrationReused: reused, cachePath: cache.path(for: session), polls: polls)
    }

    /// The cached registration when usable (and `reuse`), else a new one (cached).
    func registration(_ oidc: SSOOIDCClient, reuse: Bool) throws(AWSError) -> (SSOClientRegistration, Bool) {
        if reuse, let cached = cache.loadRegistration(session), cached.expiresAt - now() >= Self.registrationWindow,
           !(cached.grantTypes ?? []).contains("authorization_code") {
            services.core.log("sso: reusing the client registration cached until \(Timestamp.format(cached.expiresAt))")
            return (SSOClientRegistration(clientId: cached.clientId, clientSecret: cached.clientSecret, expiresAt: cached.expiresAt), true)
        }
        let name = "credctl-client-\(session.name ?? String(now()))"
        let fresh = try oidc.registerClient(clientName: name, scopes: session.registrationScopes)
        try cache.storeRegistration(SSOCachedRegistration(clientId: fresh.clientId, clientSecret: fresh.clientSecret,
                                                          expiresAt: fresh.expiresAt, scopes: session.registrationScopes,
                                                          grantTypes: nil), for: session)
        return (fresh, false)
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
