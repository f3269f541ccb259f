import AWSCore
import SigV4

/// A public OAuth client registered with `RegisterClient`. Its secret never prints.
public struct SSOClientRegistration: Sendable, CustomStringConvertible {
    public var clientId: String
    public var clientSecret: String
    /// Seconds since 1970 (`clientSecretExpiresAt`).
    public var expiresAt: Int

    public init(clientId: String, clientSecret: String, expiresAt: Int) {
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.expiresAt = expiresAt
    }

    public var description: String { "SSOClientRegistration(\(clientId), secret not shown)" }
}

/// What `StartDeviceAuthorization` answers: the code the user confirms in a browser.
public struct SSODeviceAuthorization: Sendable, CustomStringConvertible {
    public var deviceCode: String
    public var userCode: String
    public var verificationUri: String
    public var verificationUriComplete: String
    /// Seconds the device code stays valid.
    public var expiresIn: Int
    /// Seconds to wait between polls, when the service says.
    public var interval: Int?

    public var description: String { "SSODeviceAuthorization(user code \(userCode), device code not shown)" }
}

/// A token from `CreateToken`. Neither token prints.
public struct SSOTokenGrant: Sendable, CustomStringConvertible {
    public var accessToken: String
    /// Seconds the access token is valid from now.
    public var expiresIn: Int
    public var refreshToken: String?

    public var description: String { "SSOTokenGrant(expires in \(expiresIn) s, tokens not shown)" }
}

/// The SSO-OIDC operations credctl calls: each creates something (a client, a device code, a
/// token that may rotate the refresh token), so none is sent twice.
public enum SSOOIDCOperation: String, ServiceOperation, CaseIterable {
    case registerClient = "RegisterClient"
    case startDeviceAuthorization = "StartDeviceAuthorization"
    case createToken = "CreateToken"

    public var safety: RepeatSafety { .notIdempotent }
}

/// IAM Identity Center's OAuth 2.0 service (model `sso-oidc` 2019-06-10, REST-JSON, unsigned):
/// client registration, the device authorization grant and token refresh. Each of these calls
/// creates something (a client, a device code, a token that may rotate the refresh token), so
/// none is ever sent twice unless the first attempt provably never arrived.
public struct SSOOIDCClient: Sendable {
    let rest: RESTJSONProtocol

    public enum Grant: Sendable {
        /// `urn:ietf:params:oauth:grant-type:device_code`, polling after `StartDeviceAuthorization`.
        case deviceCode(String)
        /// `refresh_token`, as botocore's `SSOTokenProvider` refreshes.
        case refreshToken(String)
        /// `authorization_code` with PKCE: the code the redirect brought, the redirect URI it
        /// was sent to and the verifier of the challenge the authorization was asked with.
        case authorizationCode(code: String, redirectURI: String, codeVerifier: String)
    }

    /// What a client registered for the authorization-code grant declares (the AWS CLI's
    /// `SSOTokenFetcherAuth`): the grants `authorization_code` and `refresh_token`, the loopback
    /// redirect URI without a port, and the start URL as the issuer.
    public struct AuthorizationCodeClient: Sendable {
        public static let grantTypes = ["authorization_code", "refresh_token"]
        public static let redirectURI = "http://127.0.0.1/oauth/callback"
        public var issuerURL: String

        public init(issuerURL: String) { self.issuerURL = issuerURL }
    }

    /// `client` must carry no credentials (these calls are not signed).
    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        rest = RESTJSONProtocol(client: client, endpoint: endpoint, service: .ssoOIDC)
    }

    public var endpoint: ResolvedEndpoint { rest.endpoint }

    /// What an `expiresIn` may say, in seconds: up to a year (IAM Identity Center sessions last at
    /// most 90 days). A larger or negative number is an unreadable answer, never a time to add to.
    static let lifetimes = 0...366 * 86_400
    /// How often the device grant may ask to be polled (RFC 8628's default is 5 s); 0 is polled
    /// again at once, as the AWS CLI's loop does (`time.sleep(interval)`), the device code's
    /// expiry still ending it.
    static let pollingIntervals = 0...300

    /// The browser page of the authorization-code grant (not in the model): `/authorize` on the
    /// service's scheme, host and port (any path of a configured endpoint dropped, as the AWS
    /// CLI takes only `scheme://netloc`), with the parameters in the AWS CLI's order, each
    /// percent-encoded but for `A-Z a-z 0-9 - _ . ~`; `scopes` space-separated.
    public func authorizationURL(clientId: String, redirectURI: String, state: String, scopes: [String],
                                 codeChallenge: String) -> String {
        let base = rest.endpoint.url
        let parameters = [("response_type", "code"), ("client_id", clientId), ("redirect_uri", redirectURI), ("state", state),
                          ("code_challenge_method", "S256"), ("scopes", scopes.joined(separator: " ")),
                          ("code_challenge", codeChallenge)]
        let query = parameters.map { "\($0.0)=\(URIEncoding.encode($0.1))" }.joined(separator: "&")
        return "\(base.scheme)://\(base.hostHeader)/authorize?\(query)"
    }

    /// `POST /client/register` with `clientType: public` (and the session's scopes, if any); for
    /// the authorization-code grant also `grantTypes`, `redirectUris` and `issuerUrl`.
    public func registerClient(clientName: String, scopes: [String]?,
                               authorizationCode: AuthorizationCodeClient? = nil) throws(AWSError) -> SSOClientRegistration {
        var input: [(String, JSONValue)] = [("clientName", .string(clientName)), ("clientType", .string("public"))]
        if let authorizationCode {
            input += [("grantTypes", .array(AuthorizationCodeClient.grantTypes.map { .string($0) })),
                      ("redirectUris", .array([.string(AuthorizationCodeClient.redirectURI)])),
                      ("issuerUrl", .string(authorizationCode.issuerURL))]
        }
        if let scopes, !scopes.isEmpty { input.append(("scopes", .array(scopes.map { .string($0) }))) }
        let result = try rest.call(SSOOIDCOperation.registerClient, method: "POST", path: "/client/register", body: .object(input))
        guard let id = result["clientId"]?.stringValue, let secret = result["clientSecret"]?.stringValue,
              let expires = result["clientSecretExpiresAt"]?.int(in: Timestamp.representable) else {
            throw .invalidResponse(operation: "sso-oauth:RegisterClient", detail: "clientId, clientSecret or clientSecretExpiresAt missing or out of range")
        }
        return SSOClientRegistration(clientId: id, clientSecret: secret, expiresAt: expires)
    }

    /// `POST /device_authorization`.
    public func startDeviceAuthorization(_ registration: SSOClientRegistration, startURL: String) throws(AWSError) -> SSODeviceAuthorization {
        let result = try rest.call(SSOOIDCOperation.startDeviceAuthorization, method: "POST", path: "/device_authorization", body: .object([
            ("clientId", .string(registration.clientId)), ("clientSecret", .string(registration.clientSecret)), ("startUrl", .string(startURL)),
        ]))
        guard let device = result["deviceCode"]?.stringValue, let user = result["userCode"]?.stringValue,
              let uri = result["verificationUri"]?.stringValue, let complete = result["verificationUriComplete"]?.stringValue,
              let expiresIn = result["expiresIn"]?.int(in: Self.lifetimes) else {
            throw .invalidResponse(operation: "sso-oauth:StartDeviceAuthorization",
                                   detail: "deviceCode, userCode, verificationUri, verificationUriComplete or expiresIn missing or out of range")
        }
        var interval: Int?
        if let value = result["interval"], value != .null {
            guard let seconds = value.int(in: Self.pollingIntervals) else {
                throw .invalidResponse(operation: "sso-oauth:StartDeviceAuthorization", detail: "interval is not a number of seconds from 0 to 300")
            }
            interval = seconds
        }
        return SSODeviceAuthorization(deviceCode: device, userCode: user, verificationUri: uri, verificationUriComplete: complete,
                                      expiresIn: expiresIn, interval: interval)
    }

    /// `POST /token`. Pending, slow-down and expiry answers of the device grant come back as
    /// service errors (`AuthorizationPendingException`, `SlowDownException`, `ExpiredTokenException`).
    public func createToken(clientId: String, clientSecret: String, grant: Grant) throws(AWSError) -> SSOTokenGrant {
        var input: [(String, JSONValue)] = [("clientId", .string(clientId)), ("clientSecret", .string(clientSecret))]
        switch grant {
        case .deviceCode(let code):
            input += [("grantType", .string("urn:ietf:params:oauth:grant-type:device_code")), ("deviceCode", .string(code))]
        case .refreshToken(let token):
            input += [("grantType", .string("refresh_token")), ("refreshToken", .string(token))]
        case .authorizationCode(let code, let redirectURI, let verifier):
            input += [("grantType", .string("authorization_code")), ("redirectUri", .string(redirectURI)),
                      ("codeVerifier", .string(verifier)), ("code", .string(code))]
        }
        let result = try rest.call(SSOOIDCOperation.createToken, method: "POST", path: "/token", body: .object(input))
        guard let access = result["accessToken"]?.stringValue, !access.isEmpty, let expiresIn = result["expiresIn"]?.int(in: Self.lifetimes) else {
            throw .invalidResponse(operation: "sso-oauth:CreateToken", detail: "accessToken or expiresIn missing or out of range")
        }
        let refresh = result["refreshToken"]?.stringValue
        return SSOTokenGrant(accessToken: access, expiresIn: expiresIn, refreshToken: refresh)
    }
}
