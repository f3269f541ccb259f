import AWSCore

/// What `CreateOAuth2Token` answers: 15-minute credentials and a new refresh token (and, for the
/// authorization-code grant, an ID token naming the session). Nothing of it prints.
public struct SignInTokenGrant: Sendable, CustomStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String
    /// `aws_sigv4`.
    public var tokenType: String
    /// Seconds from now (at most 900).
    public var expiresIn: Int
    public var refreshToken: String
    /// Only for the authorization-code grant.
    public var idToken: String?

    public var description: String { "SignInTokenGrant(\(Redaction.keyId(accessKeyId)), expires in \(expiresIn) s, secrets not shown)" }
}

/// The operation, declared with its safety: redeeming an authorization code works once, so it
/// is never sent twice unless the first attempt provably never arrived.
public enum SignInOperation: String, ServiceOperation, CaseIterable {
    case createOAuth2Token = "CreateOAuth2Token"

    public var safety: RepeatSafety { .notIdempotent }
}

/// AWS Sign-In's token endpoint, `POST /v1/token` (model `signin` 2023-01-01, REST-JSON, no
/// SigV4): the refresh-token grant botocore's `LoginCredentialFetcher` sends and the
/// authorization-code grant of `aws login`. Each request carries a `DPoP` header made for its
/// URL by the caller. `AccessDeniedException`'s OAuth `error` (`TOKEN_EXPIRED`,
/// `USER_CREDENTIALS_CHANGED`, `INSUFFICIENT_PERMISSIONS`, `AUTHCODE_EXPIRED`) becomes the
/// service error's code, so callers tell them apart as botocore does.
public struct SignInClient: Sendable {
    public let client: AWSClient
    public let endpoint: ResolvedEndpoint

    public enum Grant: Sendable {
        case refreshToken(String)
        /// `redirectURI` is nil for the cross-device flow.
        case authorizationCode(code: String, redirectURI: String?, codeVerifier: String)
    }

    /// `client` must carry no credentials.
    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    /// `scheme://host[:port]`: where `/v1/authorize` and `/v1/token` live.
    public var baseURL: String { "\(endpoint.url.scheme)://\(endpoint.url.hostHeader)" }

    /// The token endpoint's URL as sent, the `htu` of its DPoP proof.
    public var tokenURL: RequestURL {
        let base = endpoint.url.path
        let path = (base == "/" || base.isEmpty ? "" : String(base.hasSuffix("/") ? base.dropLast() : Substring(base))) + "/v1/token"
        return endpoint.url.with(path: path)
    }

    /// `dpop` makes the proof for the URL it is given.
    public func createToken(clientId: String, grant: Grant,
                            dpop: (String) throws(AWSError) -> String) throws(AWSError) -> SignInTokenGrant {
        var input: [(String, JSONValue)] = [("clientId", .string(clientId))]
        switch grant {
        case .refreshToken(let token):
            input += [("grantType", .string("refresh_token")), ("refreshToken", .string(token))]
        case .authorizationCode(let code, let redirectURI, let verifier):
            input += [("grantType", .string("authorization_code")), ("code", .string(code)), ("codeVerifier", .string(verifier))]
            if let redirectURI { input.append(("redirectUri", .string(redirectURI))) }
        }
        let operation = "signin:\(SignInOperation.createOAuth2Token.name)"
        let url = tokenURL
        let request = HTTPRequest(method: "POST", url: url,
                                  headers: [(name: "Content-Type", value: "application/json"), (name: "DPoP", value: try dpop(url.description))],
                                  body: Array(JSONValue.object(input).serialized().utf8), safety: SignInOperation.createOAuth2Token.safety)
        let response = try client.send(request, service: AWSService.signIn.signingName, signingRegion: endpoint.signingRegion,
                                       operation: operation, options: AWSClient.SendOptions(returnErrorResponses: true))
        guard response.isSuccess else { throw .service(Self.error(response, operation: operation)) }
        return try Self.decode(response.body, operation: operation)
    }

    /// The service error; an OAuth `error` member names the case.
    static func error(_ response: HTTPResponse, operation: String) -> AWSServiceError {
        var error = ErrorBodyParser.parse(response, operation: operation)
        if let json = try? JSONValue.parse(response.body), let oauth = json["error"]?.stringValue, !oauth.isEmpty {
            error.message = error.message.isEmpty ? error.code : "\(error.message) (\(error.code))"
            error.code = oauth
        }
        return error
    }

    /// `tokenOutput`, strictly: every required member present and of its type.
    static func decode(_ body: [UInt8], operation: String) throws(AWSError) -> SignInTokenGrant {
        guard let json = try? JSONValue.parse(body), case .object = json else {
            throw .invalidResponse(operation: operation, detail: "not a JSON object")
        }
        guard let access = json["accessToken"], let keyId = access["accessKeyId"]?.stringValue, !keyId.isEmpty,
              let secret = access["secretAccessKey"]?.stringValue, !secret.isEmpty,
              let session = access["sessionToken"]?.stringValue, !session.isEmpty else {
            throw .invalidResponse(operation: operation, detail: "accessToken.accessKeyId, secretAccessKey or sessionToken missing")
        }
        guard let type = json["tokenType"]?.stringValue, let expiresIn = json["expiresIn"]?.intValue, expiresIn > 0,
              let refresh = json["refreshToken"]?.stringValue, !refresh.isEmpty else {
            throw .invalidResponse(operation: operation, detail: "tokenType, expiresIn or refreshToken missing")
        }
        // They go into headers and into the cache file: a CR or LF is refused before either.
        for (name, value) in [("accessKeyId", keyId), ("secretAccessKey", secret), ("sessionToken", session)]
        where value.utf8.contains(where: HeaderRules.isForbiddenInValue) {
            throw .invalidResponse(operation: operation, detail: "accessToken.\(name) contains a control character (CR, LF, NUL, …)")
        }
        return SignInTokenGrant(accessKeyId: keyId, secretAccessKey: secret, sessionToken: session, tokenType: type,
                                expiresIn: expiresIn, refreshToken: refresh, idToken: json["idToken"]?.stringValue)
    }
}
