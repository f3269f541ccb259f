import AWSCore

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
    }

    /// `client` must carry no credentials (these calls are not signed).
    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        rest = RESTJSONProtocol(client: client, endpoint: endpoint, service: .ssoOIDC)
    }

    public var endpoint: ResolvedEndpoint { rest.endpoint }

    /// What an `expiresIn` may say, in seconds: up to a year (IAM Identity Center sessions last at
    /// most 90 days). A larger or negative number is an unreadable answer, never a time to add to.
    static let lifetimes = 0...366 * 86_400
    /// How often the device grant may ask to be polled (RFC 8628's default is 5 s).
    static let pollingIntervals = 1...300

    /// `POST /client/register` with `clientType: public` (and the session's scopes, if any).
    public func registerClient(clientName: String, scopes: [String]?) throws(AWSError) -> SSOClientRegistration {
        var input: [(String, JSONValue)] = [("clientName", .string(clientName)), ("clientType", .string("public"))]
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
                throw .invalidResponse(operation: "sso-oauth:StartDeviceAuthorization", detail: "interval is not a number of seconds from 1 to 300")
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
        }
        let result = try rest.call(SSOOIDCOperation.createToken, method: "POST", path: "/token", body: .object(input))
        guard let access = result["accessToken"]?.stringValue, !access.isEmpty, let expiresIn = result["expiresIn"]?.int(in: Self.lifetimes) else {
            throw .invalidResponse(operation: "sso-oauth:CreateToken", detail: "accessToken or expiresIn missing or out of range")
        }
        let refresh = result["refreshToken"]?.stringValue
        return SSOTokenGrant(accessToken: access, expiresIn: expiresIn, refreshToken: refresh)
    }
}
